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
