package dev.weft.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Capture;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes calls in Weave's call schema (see shared/weave-wire.md §3): the start fields, the end
 * fields, or both in one record. One home for the shape, used by every exporter that sends JSON.
 */
public final class CallJson {
  public static final String CLIENT_VERSION = version();
  private static final String JAVA_VERSION = System.getProperty("java.version");

  private final String projectId;
  private final Function<Op, String> opName;
  /** {@code entity/project/runId}, or null. */
  private final String runRef;

  /**
   * @param projectId {@code entity/project}
   * @param opName how an op is named on the wire: its plain name, or a {@code weave:///} ref
   */
  public CallJson(String projectId, Function<Op, String> opName) {
    this(projectId, opName, null);
  }

  /** @param runId this JVM's run, written as {@code wb_run_id = entity/project/runId}; or null */
  public CallJson(String projectId, Function<Op, String> opName, String runId) {
    this.projectId = projectId;
    this.opName = opName;
    this.runRef = runId == null ? null : projectId + "/" + runId;
  }

  /** One whole call (start and end fields) as one object. */
  public void writeCall(JsonGenerator gen, Call call) throws IOException {
    gen.writeStartObject();
    writeStartFields(gen, call);
    writeEndFields(gen, call);
    gen.writeEndObject();
  }

  public void writeStartFields(JsonGenerator gen, Call call) throws IOException {
    gen.writeStringField("id", call.id());
    gen.writeStringField("project_id", projectId);
    gen.writeStringField("op_name", opName.apply(call.op));
    gen.writeNullField("display_name");
    gen.writeStringField("trace_id", call.traceId());
    gen.writeStringField("parent_id", call.parentId());
    gen.writeStringField("started_at", Timestamps.iso(call.startEpochNanos));
    gen.writeFieldName("attributes");
    writeAttributes(gen, call);
    gen.writeFieldName("inputs");
    writeInputs(gen, call);
    if (runRef != null) {
      gen.writeStringField("wb_run_id", runRef);
      if (call.runStep >= 0) gen.writeNumberField("wb_run_step", call.runStep);
    }
  }

  public void writeEndFields(JsonGenerator gen, Call call) throws IOException {
    gen.writeStringField("ended_at", call.isEnded() ? Timestamps.iso(call.endEpochNanos()) : null);
    gen.writeFieldName("output");
    Capture.write(gen, call.output());
    Throwable error = call.exception();
    gen.writeStringField("exception", error == null ? null : ExceptionJson.of(error));
    gen.writeFieldName("summary");
    writeSummary(gen, call);
  }

  private void writeAttributes(JsonGenerator gen, Call call) throws IOException {
    gen.writeStartObject();
    gen.writeObjectFieldStart("weave");
    gen.writeStringField("client_version", CLIENT_VERSION);
    gen.writeStringField("source", "java-sdk");
    gen.writeStringField("sys_version", JAVA_VERSION);
    gen.writeEndObject();
    gen.writeObjectFieldStart("java");
    gen.writeStringField("class", call.op.className);
    gen.writeStringField("method", call.op.methodName);
    gen.writeStringField("thread", call.threadName);
    gen.writeEndObject();
    for (Map.Entry<String, Object> a : call.attributes().entrySet()) {
      gen.writeFieldName(a.getKey());
      Capture.write(gen, a.getValue());
    }
    gen.writeEndObject();
  }

  private static void writeInputs(JsonGenerator gen, Call call) throws IOException {
    gen.writeStartObject();
    Object[] inputs = call.inputs();
    if (inputs != null) {
      Op op = call.op;
      for (int i = 0; i < inputs.length; i++) {
        if (i < op.paramModes.length && op.paramModes[i] == Op.SKIP) continue;
        gen.writeFieldName(i < op.paramNames.length ? op.paramNames[i] : "arg" + i);
        Capture.write(gen, inputs[i]);
      }
    }
    gen.writeEndObject();
  }

  private static void writeSummary(JsonGenerator gen, Call call) throws IOException {
    gen.writeStartObject();
    if (call.isEnded()) {
      gen.writeObjectFieldStart("status_counts");
      gen.writeNumberField("success", call.successCount());
      gen.writeNumberField("error", call.errorCount());
      gen.writeEndObject();
    }
    Map<String, Number> metrics = call.metrics();
    if (!metrics.isEmpty()) {
      gen.writeObjectFieldStart("metrics");
      for (Map.Entry<String, Number> m : metrics.entrySet()) {
        gen.writeFieldName(m.getKey());
        Capture.write(gen, Capture.value(m.getValue()));
      }
      gen.writeEndObject();
    }
    gen.writeEndObject();
  }

  private static String version() {
    String v = CallJson.class.getPackage() == null ? null : CallJson.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
