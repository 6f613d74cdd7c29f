package dev.weft.server.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.store.CallWrite;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Weave's mapping of an OpenTelemetry span to a call (docs/weave-protocol.md, "OTLP ingest"):
 * dotted attribute keys unflattened, inputs and output taken from the first known key, usage and
 * W&B keys lifted.
 */
final class SpanToCall {
  static final List<String> INPUT_KEYS = List.of("ai.prompt", "gen_ai.prompt", "input.value",
      "mlflow.spanInputs", "gen_ai.input.messages", "pydantic_ai.all_messages", "traceloop.entity.input",
      "gcp.vertex.agent.tool_call_args", "gcp.vertex.agent.llm_request", "events.gen_ai.user.message",
      "input", "inputs");
  static final List<String> OUTPUT_KEYS = List.of("ai.response", "gen_ai.completion", "output.value",
      "gen_ai.output.messages", "mlflow.spanOutputs", "final_result", "gen_ai.content.completion",
      "traceloop.entity.output", "gcp.vertex.agent.tool_response", "gcp.vertex.agent.llm_response",
      "events.gen_ai.choice", "output", "outputs");

  private final ObjectMapper json;

  SpanToCall(ObjectMapper json) {
    this.json = json;
  }

  /** The start and end of the call for {@code span}, in {@code project}, with op ref {@code opName}. */
  List<CallWrite> map(OtlpSpans.Span span, String project, String opName) {
    ObjectNode tree = unflatten(span.attributes());
    ObjectNode inputs = json.createObjectNode();
    for (String key : INPUT_KEYS) {
      JsonNode v = at(tree, key);
      if (v == null) continue;
      if ((key.equals("input") || key.equals("inputs")) && v.isObject()) inputs.setAll((ObjectNode) v);
      else inputs.set(key, v);
      break;
    }
    JsonNode output = null;
    for (String key : OUTPUT_KEYS) {
      JsonNode v = at(tree, key);
      if (v == null) continue;
      output = key.equals("output") || key.equals("outputs") ? v : json.createObjectNode().set(key, v);
      break;
    }
    ObjectNode summary = json.createObjectNode();
    ObjectNode usage = usage(tree);
    if (usage != null) summary.putObject("usage").set(model(tree, "usage"), usage);
    ObjectNode attributes = attributes(tree);

    String displayName = text(at(tree, "wandb.display_name"));
    String threadId = text(at(tree, "wandb.thread_id"));
    JsonNode isTurn = at(tree, "wandb.is_turn");
    String turnId = threadId != null && isTurn != null && isTurn.asBoolean(false) ? span.spanId() : null;
    String runId = text(at(tree, "wandb.wb_run_id"));
    if (runId != null && !runId.contains("/")) runId = project + "/" + runId;
    JsonNode step = at(tree, "wandb.wb_run_step");
    JsonNode stepEnd = at(tree, "wandb.wb_run_step_end");
    long start = span.startNanos() / 1000;
    long end = Math.max(start, span.endNanos() / 1000);
    return List.of(
        new CallWrite.Start(project, span.spanId(), span.traceId(), span.parentSpanId(), opName, displayName,
            threadId, turnId, start, attributes.toString(), inputs.toString(), null, runId,
            step != null && step.canConvertToLong() ? step.asLong() : null),
        new CallWrite.End(project, span.spanId(), end, output == null ? null : output.toString(),
            span.error() ? (span.statusMessage().isEmpty() ? "error" : span.statusMessage()) : null,
            summary.toString(), stepEnd != null && stepEnd.canConvertToLong() ? stepEnd.asLong() : null, null));
  }

  private ObjectNode attributes(ObjectNode tree) {
    ObjectNode a = json.createObjectNode();
    put(a, "system", tree, "gen_ai.system", "llm.system");
    put(a, "kind", tree, "weave.span.kind", "traceloop.span.kind", "openinference.span.kind");
    put(a, "model", tree, "gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "ai.model.id");
    put(a, "provider", tree, "llm.provider", "ai.model.provider");
    put(a, "model_parameters", tree, "gen_ai.request", "llm.invocation_parameters");
    put(a, "agent", tree, "gen_ai.agent.name");
    put(a, "tools", tree, "gen_ai.tools", "llm.tools");
    put(a, "operation", tree, "gen_ai.operation.name");
    JsonNode extra = at(tree, "wandb.attributes");
    if (extra != null && extra.isObject()) a.setAll((ObjectNode) extra);
    if (a.isEmpty()) {
      ObjectNode raw = tree.deepCopy();
      raw.remove(List.of("input", "inputs", "output", "outputs"));
      return raw;
    }
    return a;
  }

  private static void put(ObjectNode target, String field, ObjectNode tree, String... keys) {
    for (String k : keys) {
      JsonNode v = at(tree, k);
      if (v != null) {
        target.set(field, v);
        return;
      }
    }
  }

  private ObjectNode usage(ObjectNode tree) {
    ObjectNode u = json.createObjectNode();
    copyNumber(u, "input_tokens", tree, "gen_ai.usage.input_tokens");
    copyNumber(u, "output_tokens", tree, "gen_ai.usage.output_tokens");
    copyNumber(u, "prompt_tokens", tree, "gen_ai.usage.prompt_tokens", "llm.token_count.prompt", "ai.usage.promptTokens");
    copyNumber(u, "completion_tokens", tree, "gen_ai.usage.completion_tokens", "llm.token_count.completion", "ai.usage.completionTokens");
    copyNumber(u, "total_tokens", tree, "llm.usage.total_tokens", "llm.token_count.total");
    if (u.isEmpty()) return null;
    if (!u.has("total_tokens")) {
      long total = u.path("input_tokens").asLong(0) + u.path("output_tokens").asLong(0)
          + u.path("prompt_tokens").asLong(0) + u.path("completion_tokens").asLong(0);
      u.put("total_tokens", total);
    }
    return u;
  }

  private static void copyNumber(ObjectNode target, String field, ObjectNode tree, String... keys) {
    for (String k : keys) {
      JsonNode v = at(tree, k);
      if (v != null && v.isNumber()) {
        target.set(field, v);
        return;
      }
    }
  }

  private static String model(ObjectNode tree, String fallback) {
    for (String k : List.of("gen_ai.response.model", "gen_ai.request.model", "llm.model_name", "ai.model.id")) {
      JsonNode v = at(tree, k);
      if (v != null && v.isTextual()) return v.asText();
    }
    return fallback;
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? null : v.asText();
  }

  /** The value at a dotted key in the unflattened tree, or null. */
  static JsonNode at(ObjectNode tree, String dotted) {
    JsonNode cur = tree;
    for (String p : dotted.split("\\.")) {
      cur = cur == null ? null : cur.get(p);
      if (cur == null) return null;
    }
    return cur.isNull() ? null : cur;
  }

  /** {@code a.b=1, a.c=2} → {@code {"a":{"b":1,"c":2}}}; JSON-looking strings parsed; 0,1,2… keys become lists. */
  ObjectNode unflatten(Map<String, JsonNode> attributes) {
    ObjectNode root = json.createObjectNode();
    for (Map.Entry<String, JsonNode> e : attributes.entrySet()) {
      String[] path = e.getKey().split("\\.");
      ObjectNode cur = root;
      for (int i = 0; i < path.length - 1; i++) {
        JsonNode next = cur.get(path[i]);
        if (!(next instanceof ObjectNode)) {
          next = json.createObjectNode();
          cur.set(path[i], next);
        }
        cur = (ObjectNode) next;
      }
      cur.set(path[path.length - 1], parseJsonString(e.getValue()));
    }
    return (ObjectNode) listify(root);
  }

  private JsonNode parseJsonString(JsonNode v) {
    if (v.isTextual()) {
      String s = v.asText().trim();
      if (s.startsWith("{") || s.startsWith("[")) {
        try {
          return json.readTree(s);
        } catch (Exception notJson) {
          return v;
        }
      }
    }
    return v;
  }

  private JsonNode listify(JsonNode node) {
    if (!node.isObject()) return node;
    ObjectNode o = (ObjectNode) node;
    for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      e.setValue(listify(e.getValue()));
    }
    if (o.isEmpty()) return o;
    for (int i = 0; i < o.size(); i++) if (!o.has(String.valueOf(i))) return o;
    ArrayNode a = json.createArrayNode();
    for (int i = 0; i < o.size(); i++) a.add(o.get(String.valueOf(i)));
    return a;
  }
}
