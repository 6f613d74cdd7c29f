package dev.weft.agent.bootstrap;

import dev.weft.agent.export.Pipeline;
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
 * {@link #end} has run, the call does not change except for late descendants' status counts.
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

  /** Closed where the method exits; touched only by the thread that entered. */
  Scope scope;

  /** Export bookkeeping, touched only by the export thread. */
  public boolean exportedStart;
  public boolean exportedEnd;
  /** Set by an exporter that sent this call's start, so its end can go alone. */
  public boolean startSent;
  /**
   * Bytes this call counts against the queue's byte limit while queued or being exported; 0 for
   * small calls. Changed by app threads (queueing) and the export thread (done), so atomically.
   */
  public volatile long queuedBytes;
  public static final java.util.concurrent.atomic.AtomicLongFieldUpdater<Call> QUEUED_BYTES =
      java.util.concurrent.atomic.AtomicLongFieldUpdater.newUpdater(Call.class, "queuedBytes");

  private volatile long endEpochNanos;
  private Object output;
  private Throwable exception;
  private Map<String, Object> attributes;
  private Map<String, Number> metrics;
  /** Errors of this call and its descendants in the high 32 bits, successes in the low. */
  private volatile long statusCounts;

  Call(Op op, Call parent, Object[] inputs) {
    this.op = op;
    this.parent = parent;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    this.startEpochNanos = Clock.nowEpochNanos();
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

  /** Ends the call with the method's result; the first end wins. */
  void end(Object returned, Throwable thrown) {
    if (endEpochNanos != 0) return;
    long now = Clock.nowEpochNanos();
    if (thrown != null) {
      exception = unwrap(thrown);
    } else if (op.captureOutput) {
      output = dev.weft.agent.capture.Capture.value(returned);
    }
    endEpochNanos = now; // volatile write: publishes output and exception
    if (parent != null) COUNTS.addAndGet(parent, statusCounts + (thrown == null ? ONE_SUCCESS : ONE_ERROR));
    Pipeline.ended(this);
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

  /** Characters of captured text (strings and JSON) in the inputs and output. */
  public long capturedChars() {
    long n = chars(output);
    if (inputs != null) for (Object v : inputs) n += chars(v);
    return n;
  }

  private static long chars(Object v) {
    if (v instanceof String) return ((String) v).length();
    return v instanceof dev.weft.agent.capture.Json ? ((dev.weft.agent.capture.Json) v).text.length() : 0;
  }

  /** Captured inputs by parameter; {@link Op#SKIP}ped ones are absent. Null when not captured. */
  public Object[] inputs() {
    return inputs;
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
