package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.http.Fields;
import dev.weft.server.store.StoredCall;

/** A stored call as Weave's CallSchema, with the server-derived {@code summary.weave} fields. */
public final class CallView {
  private final ObjectMapper json;

  public CallView(ObjectMapper json) {
    this.json = json;
  }

  public ObjectNode toJson(StoredCall c) {
    ObjectNode o = json.createObjectNode();
    o.put("id", c.id());
    o.put("project_id", c.projectId());
    o.put("op_name", c.opName());
    String displayName = c.displayName() == null || c.displayName().isEmpty() ? null : c.displayName();
    o.put("display_name", displayName);
    o.put("trace_id", c.traceId());
    o.put("parent_id", c.parentId());
    o.put("thread_id", c.threadId());
    o.put("turn_id", c.turnId());
    o.put("started_at", Fields.iso(c.startedAt()));
    o.set("attributes", parseOr(c.attributes(), json.createObjectNode()));
    o.set("inputs", parseOr(c.inputs(), json.createObjectNode()));
    o.put("ended_at", c.endedAt() == null ? null : Fields.iso(c.endedAt()));
    o.put("exception", c.exception());
    o.set("output", parseOr(c.output(), NullNode.getInstance()));
    JsonNode stored = parseOr(c.summary(), json.createObjectNode());
    ObjectNode summary = stored.isObject() ? (ObjectNode) stored : json.createObjectNode();
    summary.set("weave", derived(c, summary, displayName));
    o.set("summary", summary);
    o.put("wb_user_id", c.wbUserId());
    o.put("wb_run_id", c.wbRunId());
    if (c.wbRunStep() == null) o.putNull("wb_run_step"); else o.put("wb_run_step", c.wbRunStep());
    if (c.wbRunStepEnd() == null) o.putNull("wb_run_step_end"); else o.put("wb_run_step_end", c.wbRunStepEnd());
    o.putNull("deleted_at");
    return o;
  }

  /**
   * Writes the same JSON as {@link #toJson} straight to a generator, copying the stored JSON
   * text of attributes, inputs and output as it is.
   */
  public void write(com.fasterxml.jackson.core.JsonGenerator g, StoredCall c) throws java.io.IOException {
    String displayName = c.displayName() == null || c.displayName().isEmpty() ? null : c.displayName();
    g.writeStartObject();
    g.writeStringField("id", c.id());
    g.writeStringField("project_id", c.projectId());
    g.writeStringField("op_name", c.opName());
    g.writeStringField("display_name", displayName);
    g.writeStringField("trace_id", c.traceId());
    g.writeStringField("parent_id", c.parentId());
    g.writeStringField("thread_id", c.threadId());
    g.writeStringField("turn_id", c.turnId());
    g.writeStringField("started_at", Fields.iso(c.startedAt()));
    g.writeFieldName("attributes");
    g.writeRawValue(c.attributes() == null ? "{}" : c.attributes());
    g.writeFieldName("inputs");
    g.writeRawValue(c.inputs() == null ? "{}" : c.inputs());
    g.writeStringField("ended_at", c.endedAt() == null ? null : Fields.iso(c.endedAt()));
    g.writeStringField("exception", c.exception());
    g.writeFieldName("output");
    g.writeRawValue(c.output() == null ? "null" : c.output());
    g.writeFieldName("summary");
    JsonNode stored = c.summary() == null || c.summary().equals("{}") ? json.createObjectNode() : parseOr(c.summary(), json.createObjectNode());
    ObjectNode summary = stored.isObject() ? (ObjectNode) stored : json.createObjectNode();
    summary.set("weave", derived(c, summary, displayName));
    g.writeTree(summary);
    g.writeStringField("wb_user_id", c.wbUserId());
    g.writeStringField("wb_run_id", c.wbRunId());
    g.writeFieldName("wb_run_step");
    if (c.wbRunStep() == null) g.writeNull(); else g.writeNumber(c.wbRunStep());
    g.writeFieldName("wb_run_step_end");
    if (c.wbRunStepEnd() == null) g.writeNull(); else g.writeNumber(c.wbRunStepEnd());
    g.writeNullField("deleted_at");
    g.writeEndObject();
  }

  private ObjectNode derived(StoredCall c, ObjectNode summary, String displayName) {
    ObjectNode w = json.createObjectNode();
    String status;
    if (c.exception() != null) status = "error";
    else if (c.endedAt() == null) status = "running";
    else if (summary.path("status_counts").path("error").asLong(0) > 0) status = "descendant_error";
    else status = "success";
    w.put("status", status);
    if (c.endedAt() != null) w.put("latency_ms", (c.endedAt() - c.startedAt()) / 1000);
    if (displayName != null) w.put("display_name", displayName);
    else w.put("trace_name", opDisplayName(c.opName()));
    return w;
  }

  /** {@code weave:///e/p/op/name:digest} → {@code name}; a plain op name as it is. */
  public static String opDisplayName(String opName) {
    if (opName == null) return null;
    if (!opName.startsWith("weave:///")) return opName;
    int op = opName.indexOf("/op/");
    if (op < 0) return opName;
    String rest = opName.substring(op + 4);
    int colon = rest.lastIndexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  private JsonNode parseOr(String text, JsonNode fallback) {
    if (text == null) return fallback;
    try {
      return json.readTree(text);
    } catch (Exception e) {
      return fallback;
    }
  }
}
