package dev.weft.agent.export;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.llm.Decoded;
import dev.weft.agent.llm.Decoders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sends ended calls as OpenTelemetry spans through the OpenTelemetry SDK's OTLP/HTTP exporter.
 * Attributes follow Weave's OTel mapping ({@code input.<param>}, {@code output}, resource
 * {@code wandb.entity}/{@code wandb.project}), so Weave's OTLP route shows inputs and outputs and
 * other backends get ordinary spans.
 */
public final class OtlpExporter implements CallExporter {
  private static final InstrumentationScopeInfo SCOPE =
      InstrumentationScopeInfo.builder("weft").setVersion(CallJson.CLIENT_VERSION).build();

  private final OtlpHttpSpanExporter exporter;
  private final Resource resource;

  /**
   * @param endpoint the full traces URL, e.g. {@code http://collector:4318/v1/traces}
   * @param headers extra request headers, e.g. from {@code OTEL_EXPORTER_OTLP_HEADERS}
   */
  public OtlpExporter(String endpoint, Map<String, String> headers, String serviceName, String project) {
    OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder().setEndpoint(endpoint)
        .setTimeout(10, TimeUnit.SECONDS).setCompression("gzip");
    headers.forEach(b::addHeader);
    this.exporter = b.build();
    int slash = project.indexOf('/');
    this.resource = Resource.create(Attributes.of(
        AttributeKey.stringKey("service.name"), serviceName,
        AttributeKey.stringKey("wandb.entity"), slash > 0 ? project.substring(0, slash) : project,
        AttributeKey.stringKey("wandb.project"), slash > 0 ? project.substring(slash + 1) : project));
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public void export(List<Call> running, List<Call> ended) {
    if (ended.isEmpty()) return;
    List<SpanData> spans = new ArrayList<>(ended.size());
    for (Call c : ended) spans.add(new CallSpan(c, attributes(c), resource));
    exporter.export(spans).join(30, TimeUnit.SECONDS);
  }

  /** Weave's OTel keys: {@code input.<param>} and {@code output} as JSON, plus where the code is. */
  private static Attributes attributes(Call c) {
    AttributesBuilder a = Attributes.builder();
    Op op = c.op;
    Decoded llm = Decoders.of(c);
    if (llm != null) {
      genAi(a, c, llm);
    } else {
      if (op.wholeInputs) {
        put(a, "input", c.wholeInputs()); // an object under "input" is the inputs, for Weave's OTLP route
      } else {
        c.forEachInput((name, value) -> put(a, "input." + name, value));
      }
      if (c.exception() == null && op.captureOutput) put(a, "output", c.output());
    }
    a.put("code.namespace", op.className);
    a.put("code.function", op.methodName);
    a.put("thread.name", c.threadName);
    for (Map.Entry<String, Object> e : c.attributes().entrySet()) {
      put(a, "wandb.attributes." + e.getKey(), e.getValue());
    }
    return a.build();
  }

  /**
   * An LLM call: its request and response as {@code input} and {@code output} (Weave's OTLP route
   * reads them so), and OpenTelemetry's GenAI attributes, so any GenAI-aware backend reads them.
   */
  private static void genAi(AttributesBuilder a, Call c, Decoded llm) {
    put(a, "input", llm.inputs);
    if (llm.error == null) put(a, "output", llm.output);
    if (llm.operation != null) a.put("gen_ai.operation.name", llm.operation);
    a.put("gen_ai.provider.name", c.llm.provider);
    if (llm.requestModel != null) a.put("gen_ai.request.model", llm.requestModel);
    if (llm.responseModel != null) a.put("gen_ai.response.model", llm.responseModel);
    long in = 0, out = 0;
    for (Map<String, Long> counts : llm.usage.values()) {
      in += counts.getOrDefault("prompt_tokens", 0L);
      out += counts.getOrDefault("completion_tokens", 0L);
    }
    if (!llm.usage.isEmpty()) {
      a.put("gen_ai.usage.input_tokens", in);
      a.put("gen_ai.usage.output_tokens", out);
    }
  }

  /**
   * A captured value as a span attribute: scalars as themselves, objects and lists as JSON text
   * (which Weave's OTLP route parses back); null values are left out.
   */
  private static void put(AttributesBuilder a, String key, Object captured) {
    Capture.visit(captured, new Capture.Visitor<Void, RuntimeException>() {
      @Override public Void nullValue() { return null; }
      @Override public Void bool(boolean b) { a.put(key, b); return null; }
      @Override public Void integer(long n) { a.put(key, n); return null; }
      @Override public Void decimal(double d) { a.put(key, d); return null; }
      @Override public Void exact(Number n) { a.put(key, n.toString()); return null; }
      @Override public Void string(String s) { a.put(key, s); return null; }
      @Override public Void json(String text) { a.put(key, text); return null; }
    });
  }

  @Override
  public void flush() {
    exporter.flush().join(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    exporter.shutdown().join(10, TimeUnit.SECONDS);
  }

  /** An ended call seen as a finished span. */
  private static final class CallSpan implements SpanData {
    private final Call call;
    private final Attributes attributes;
    private final Resource resource;
    private final SpanContext context;
    private final SpanContext parent;

    CallSpan(Call call, Attributes attributes, Resource resource) {
      this.call = call;
      this.attributes = attributes;
      this.resource = resource;
      this.context = SpanContext.create(call.traceId(), call.id(), TraceFlags.getSampled(), TraceState.getDefault());
      this.parent = call.parent == null ? SpanContext.getInvalid()
          : SpanContext.create(call.traceId(), call.parent.id(), TraceFlags.getSampled(), TraceState.getDefault());
    }

    @Override public String getName() { return call.op.name; }
    @Override public SpanKind getKind() { return SpanKind.INTERNAL; }
    @Override public SpanContext getSpanContext() { return context; }
    @Override public SpanContext getParentSpanContext() { return parent; }

    @Override
    public StatusData getStatus() {
      Throwable e = call.exception();
      Decoded llm = Decoders.of(call);
      if (e == null && llm != null && llm.error != null) {
        return StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, llm.error);
      }
      return e == null ? StatusData.ok() : StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR,
          e.getClass().getName() + ": " + ExceptionJson.messageOf(e));
    }

    @Override public long getStartEpochNanos() { return call.startEpochNanos; }
    @Override public Attributes getAttributes() { return attributes; }

    @Override
    public List<EventData> getEvents() {
      Throwable e = call.exception();
      if (e == null) return List.of();
      java.io.StringWriter trace = new java.io.StringWriter();
      e.printStackTrace(new java.io.PrintWriter(trace));
      return List.of(EventData.create(call.endEpochNanos(), "exception", Attributes.of(
          AttributeKey.stringKey("exception.type"), e.getClass().getName(),
          AttributeKey.stringKey("exception.message"), ExceptionJson.messageOf(e),
          AttributeKey.stringKey("exception.stacktrace"), trace.toString())));
    }

    @Override public List<LinkData> getLinks() { return List.of(); }
    @Override public long getEndEpochNanos() { return call.endEpochNanos(); }
    @Override public boolean hasEnded() { return true; }
    @Override public int getTotalRecordedEvents() { return getEvents().size(); }
    @Override public int getTotalRecordedLinks() { return 0; }
    @Override public int getTotalAttributeCount() { return attributes.size(); }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return InstrumentationLibraryInfo.create(SCOPE.getName(), SCOPE.getVersion());
    }

    @Override public InstrumentationScopeInfo getInstrumentationScopeInfo() { return SCOPE; }
    @Override public Resource getResource() { return resource; }
  }
}
