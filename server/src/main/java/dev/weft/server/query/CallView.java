package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.http.Fields;
import dev.weft.server.store.StoredCall;

/** A stored call as Weave's CallSchema, with the server-derived {@code summary.weave} fields. */
public final class CallView {
  private final ObjectMapper json;

  public CallView(ObjectMapper json) {
    this.json = json;
  }

  /** The call as a JSON tree, for queries that filter or sort on its JSON; see {@link #write}. */
  public ObjectNode toJson(StoredCall c) {
    // Through bytes: the stored JSON is written raw, and must be parsed to be queried.
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
      try (com.fasterxml.jackson.core.JsonGenerator g = json.getFactory().createGenerator(bytes)) {
        write(g, c);
      }
      return (ObjectNode) json.readTree(bytes.toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Writes the call straight to a generator, copying the stored JSON text of attributes, inputs
   * and output as it is.
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
