package dev.weft.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.llm.Decoded;
import dev.weft.agent.llm.Decoders;
import dev.weft.wire.IsoTime;
import java.io.IOException;
import java.util.Map;
import java.util.function.Function;

/**
 * Writes calls in Weave's call schema (docs/weave-protocol.md, "Calls"): a call's start fields,
 * its end fields, or both in one object. The one home of that shape, for every exporter that
 * sends JSON; a call's inputs, output and attributes are written as captured, with no copy.
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
   * @param runId this JVM's run, written as {@code wb_run_id = entity/project/runId}; or null
   */
  public CallJson(String projectId, Function<Op, String> opName, String runId) {
    this.projectId = projectId;
    this.opName = opName;
    this.runRef = runId == null ? null : projectId + "/" + runId;
  }

  public String projectId() {
    return projectId;
  }

  /** A call started: the fields Weave's {@code StartedCallSchemaForInsert} has. */
  public void writeStart(JsonGenerator g, Call call) throws IOException {
    g.writeStartObject();
    writeStartFields(g, call);
    g.writeEndObject();
  }

  /**
   * A call ended: the fields of {@code EndedCallSchemaForInsert}. An end sent {@code alone}, after
   * its start went in an earlier request, also names the call's {@code trace_id} and
   * {@code started_at}, which the calls_complete form of an end needs and other servers ignore.
   */
  public void writeEnd(JsonGenerator g, Call call, boolean alone) throws IOException {
    g.writeStartObject();
    g.writeStringField("project_id", projectId);
    g.writeStringField("id", call.id());
    if (alone) {
      g.writeStringField("trace_id", call.traceId());
      g.writeStringField("started_at", IsoTime.ofEpochNanos(call.startEpochNanos));
    }
    writeEndFields(g, call);
    g.writeEndObject();
  }

  /** A whole call, start and end fields in one object. */
  public void writeCall(JsonGenerator g, Call call) throws IOException {
    g.writeStartObject();
    writeStartFields(g, call);
    writeEndFields(g, call);
    g.writeEndObject();
  }

  private void writeStartFields(JsonGenerator g, Call call) throws IOException {
    g.writeStringField("id", call.id());
    g.writeStringField("project_id", projectId);
    g.writeStringField("op_name", opName.apply(call.op));
    g.writeNullField("display_name");
    g.writeStringField("trace_id", call.traceId());
    g.writeStringField("parent_id", call.parentId());
    g.writeStringField("started_at", IsoTime.ofEpochNanos(call.startEpochNanos));
    g.writeFieldName("attributes");
    writeAttributes(g, call);
    Decoded llm = Decoders.of(call);
    if (llm != null) {
      writeObject(g, "inputs", "request", llm.inputs);
    } else if (call.op.wholeInputs) {
      writeObject(g, "inputs", "input", call.wholeInputs());
    } else {
      g.writeObjectFieldStart("inputs");
      call.forEachInput((name, value) -> {
        g.writeFieldName(name);
        Capture.write(g, value);
      });
      g.writeEndObject();
    }
    if (runRef != null) {
      g.writeStringField("wb_run_id", runRef);
      if (call.runStep >= 0) g.writeNumberField("wb_run_step", call.runStep);
    }
  }

  private void writeEndFields(JsonGenerator g, Call call) throws IOException {
    g.writeStringField("ended_at", call.isEnded() ? IsoTime.ofEpochNanos(call.endEpochNanos()) : null);
    Decoded llm = Decoders.of(call);
    g.writeFieldName("output");
    Capture.write(g, llm != null ? llm.output : call.output());
    Throwable error = call.exception();
    g.writeStringField("exception", error != null ? ExceptionJson.of(error) : llm != null ? llm.error : null);
    g.writeFieldName("summary");
    writeSummary(g, call);
  }

  private void writeAttributes(JsonGenerator g, Call call) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("weave");
    g.writeStringField("client_version", CLIENT_VERSION);
    g.writeStringField("source", "java-sdk");
    g.writeStringField("sys_version", JAVA_VERSION);
    g.writeEndObject();
    g.writeObjectFieldStart("java");
    g.writeStringField("class", call.op.className);
    g.writeStringField("method", call.op.methodName);
    g.writeStringField("thread", call.threadName);
    g.writeEndObject();
    for (Map.Entry<String, Object> a : call.attributes().entrySet()) {
      g.writeFieldName(a.getKey());
      Capture.write(g, a.getValue());
    }
    g.writeEndObject();
  }

  /**
   * A captured value that must be an object (an LLM call's inputs): as it is when it is one,
   * else under {@code key}.
   */
  private static void writeObject(JsonGenerator g, String field, String key, Object captured) throws IOException {
    g.writeFieldName(field);
    if (captured instanceof dev.weft.agent.capture.Json && captured.toString().startsWith("{")) {
      Capture.write(g, captured);
    } else {
      g.writeStartObject();
      if (captured != null) {
        g.writeFieldName(key);
        Capture.write(g, captured);
      }
      g.writeEndObject();
    }
  }

  private static void writeSummary(JsonGenerator g, Call call) throws IOException {
    g.writeStartObject();
    if (call.usage != null && !call.usage.isEmpty()) {
      g.writeObjectFieldStart("usage");
      for (Map.Entry<String, Map<String, Long>> model : call.usage.entrySet()) {
        g.writeObjectFieldStart(model.getKey());
        for (Map.Entry<String, Long> count : model.getValue().entrySet()) g.writeNumberField(count.getKey(), count.getValue());
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    if (call.isEnded()) {
      g.writeObjectFieldStart("status_counts");
      g.writeNumberField("success", call.successCount());
      g.writeNumberField("error", call.errorCount());
      g.writeEndObject();
    }
    Map<String, Number> metrics = call.metrics();
    if (!metrics.isEmpty()) {
      g.writeObjectFieldStart("metrics");
      for (Map.Entry<String, Number> m : metrics.entrySet()) {
        g.writeFieldName(m.getKey());
        Capture.write(g, Capture.value(m.getValue()));
      }
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  private static String version() {
    String v = CallJson.class.getPackage() == null ? null : CallJson.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
