package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Clock;
import dev.weft.agent.capture.Capture;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ImplicitContextKeyed;
import io.opentelemetry.context.Scope;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * One invocation of a traced method. It is the value the OpenTelemetry {@link Context} carries
 * for the current logical flow, so children find their parent through the context, across
 * threads too.
 *
 * <p>Ids are kept as numbers and rendered as OpenTelemetry hex ids only when exported. Once
 * {@link #end} has run, the call does not change except for late descendants' status counts. It
 * carries nothing of any exporter's: what was sent where is the exporters' own business.
 */
public final class Call implements ImplicitContextKeyed {
  static final ContextKey<Call> KEY = ContextKey.named("weft.call");
  private static final AtomicLongFieldUpdater<Call> COUNTS =
      AtomicLongFieldUpdater.newUpdater(Call.class, "statusCounts");
  private static final long ONE_ERROR = 1L << 32, ONE_SUCCESS = 1L;
  /**
   * Call (span) ids count up from a random start, so this JVM's calls land next to each other in
   * a store's id index rather than all over it. Two JVMs' ids collide only if their ranges
   * overlap: about (calls made) / 2^64 for each pair, less likely than random ids colliding.
   */
  private static final java.util.concurrent.atomic.AtomicLong NEXT_ID =
      new java.util.concurrent.atomic.AtomicLong(ThreadLocalRandom.current().nextLong());

  public final Op op;
  /** The enclosing call, or null for a trace's root. */
  public final Call parent;
  public final long traceIdHigh;
  public final long traceIdLow;
  public final long spanId;
  public final long startEpochNanos;
  public final String threadName;
  /** The run's metrics step when the call started, or -1 without a run. */
  public final long runStep;
  /** Captured arguments aligned with {@link Op#paramNames}, or null when inputs are not captured. */
  final Object[] inputs;

  /** For an LLM call, what it exchanged with its model; null for any other call. */
  public final LlmRecord llm;
  /**
   * Token usage by model: this call's own (an LLM call's) and its descendants', summed as
   * Weave's clients sum it. Written and read by the export thread only, which sees children end
   * before their parents.
   */
  public java.util.Map<String, java.util.Map<String, Long>> usage;

  /** Closed where the method exits; touched only by the thread that entered. */
  Scope scope;

  private volatile long endEpochNanos;
  private Object output;
  private Throwable exception;
  private Map<String, Object> attributes;
  private Map<String, Number> metrics;
  /** Errors of this call and its descendants in the high 32 bits, successes in the low. */
  private volatile long statusCounts;

  Call(Op op, Call parent, Object[] inputs) {
    this(op, parent, inputs, null, Clock.nowEpochNanos());
  }

  Call(Op op, Call parent, Object[] inputs, LlmRecord llm, long startEpochNanos) {
    this.op = op;
    this.parent = parent;
    this.llm = llm;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.startEpochNanos = startEpochNanos;
    if (parent == null) {
      // Time first, as in Weave's UUIDv7 ids: 48 bits of milliseconds, then 80 random bits. New
      // traces then land at the end of a store's trace index instead of all over it.
      this.traceIdHigh = (startEpochNanos / 1_000_000) << 16 | (random.nextLong() & 0xFFFF);
      this.traceIdLow = nonZero(random);
    } else {
      this.traceIdHigh = parent.traceIdHigh;
      this.traceIdLow = parent.traceIdLow;
    }
    this.spanId = nextId();
    this.inputs = inputs;
    this.threadName = Thread.currentThread().getName();
    this.runStep = WeftBridge.currentStep();
  }

  private static long nextId() {
    long id;
    do {
      id = NEXT_ID.getAndIncrement();
    } while (id == 0); // not a valid span id
    return id;
  }

  private static long nonZero(ThreadLocalRandom random) {
    long v;
    do {
      v = random.nextLong();
    } while (v == 0);
    return v;
  }

  /** The call current on this thread's context, or null. */
  public static Call current() {
    return Context.current().get(KEY);
  }

  @Override
  public Context storeInContext(Context context) {
    return context.with(KEY, this);
  }

  /** Ends the call with the method's result; the first end wins: returns whether this was it. */
  boolean end(Object returned, Throwable thrown) {
    if (endEpochNanos != 0) return false;
    long now = Clock.nowEpochNanos();
    if (thrown != null) {
      exception = unwrap(thrown);
    } else if (op.captureOutput) {
      output = Capture.value(returned);
    }
    endEpochNanos = now; // volatile write: publishes output and exception
    if (parent != null) COUNTS.addAndGet(parent, statusCounts + (thrown == null ? ONE_SUCCESS : ONE_ERROR));
    return true;
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  public boolean isEnded() {
    return endEpochNanos != 0;
  }

  public long endEpochNanos() {
    return endEpochNanos;
  }

  public Object output() {
    return output;
  }

  public Throwable exception() {
    return exception;
  }

  /** Characters of captured text (strings and JSON) in the inputs and the output, and an LLM call's exchange. */
  public long capturedChars() {
    return inputChars() + Capture.chars(output) + (llm == null ? 0 : llm.size());
  }

  /** Characters of captured text in the inputs. */
  public long inputChars() {
    long n = 0;
    if (inputs != null) for (Object v : inputs) n += Capture.chars(v);
    return n;
  }

  /** The inputs of a call whose op has {@link Op#wholeInputs}, as captured; else null. */
  public Object wholeInputs() {
    return op.wholeInputs && inputs != null && inputs.length == 1 ? inputs[0] : null;
  }

  /** Receives a call's inputs, one by one. */
  public interface InputVisitor<E extends Exception> {
    void input(String name, Object captured) throws E;
  }

  /**
   * The captured inputs by parameter name, in order, leaving out {@code @NoCapture} parameters;
   * none when the op does not capture inputs.
   */
  public <E extends Exception> void forEachInput(InputVisitor<E> visitor) throws E {
    if (inputs == null) return;
    for (int i = 0; i < inputs.length; i++) {
      if (i < op.paramModes.length && op.paramModes[i] == Capture.SKIP) continue;
      visitor.input(i < op.paramNames.length ? op.paramNames[i] : "arg" + i, inputs[i]);
    }
  }

  public String id() {
    return SpanId.fromLong(spanId);
  }

  public String traceId() {
    return TraceId.fromLongs(traceIdHigh, traceIdLow);
  }

  public String parentId() {
    return parent == null ? null : parent.id();
  }

  /** Successes of this call and its ended descendants (this call counted once it has ended). */
  public int successCount() {
    return (int) statusCounts + (isEnded() && exception == null ? 1 : 0);
  }

  public int errorCount() {
    return (int) (statusCounts >>> 32) + (isEnded() && exception != null ? 1 : 0);
  }

  public synchronized void putAttribute(String key, Object value) {
    if (attributes == null) attributes = new LinkedHashMap<>();
    attributes.put(key, value);
  }

  public synchronized void putMetrics(Map<String, ? extends Number> values) {
    if (metrics == null) metrics = new LinkedHashMap<>();
    metrics.putAll(values);
  }

  public synchronized Map<String, Object> attributes() {
    return attributes == null ? Collections.emptyMap() : new LinkedHashMap<>(attributes);
  }

  public synchronized Map<String, Number> metrics() {
    return metrics == null ? Collections.emptyMap() : new LinkedHashMap<>(metrics);
  }
}
