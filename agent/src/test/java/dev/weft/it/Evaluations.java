package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What a project on a live server holds of evaluations: objects, calls as a tree, feedback. */
public final class Evaluations {
  public final String project;
  public final Map<String, JsonNode> objects = new HashMap<>();
  public final List<JsonNode> calls;
  public final List<JsonNode> feedback = new ArrayList<>();

  public Evaluations(LiveServer server, String project) throws Exception {
    this.project = project;
    for (JsonNode o : server.post("/objs/query", "{\"project_id\":\"" + project + "\",\"filter\":{\"is_op\":false}}").get("objs")) {
      objects.put(o.get("object_id").asText(), o);
    }
    calls = server.calls(project);
    server.post("/feedback/query", "{\"project_id\":\"" + project + "\"}").get("result").forEach(feedback::add);
  }

  /** The op's name in a call's {@code weave:///…/op/NAME:digest}. */
  public static String op(JsonNode call) {
    String ref = call.get("op_name").asText();
    return ref.substring(ref.lastIndexOf('/') + 1, ref.lastIndexOf(':'));
  }

  /** The root {@code Evaluation.evaluate} call whose evaluation object is {@code evaluation}. */
  public JsonNode evaluate(String evaluation) {
    List<JsonNode> found = calls.stream().filter(c -> op(c).equals("Evaluation.evaluate")
        && c.at("/inputs/self").asText().contains("/object/" + evaluation + ":")).collect(Collectors.toList());
    assertEquals(1, found.size(), () -> "evaluate calls of " + evaluation + " in " + project);
    return found.get(0);
  }

  public List<JsonNode> children(JsonNode parent, String op) {
    return calls.stream().filter(c -> parent.get("id").equals(c.get("parent_id")) && (op == null || op(c).equals(op)))
        .collect(Collectors.toList());
  }

  public JsonNode one(JsonNode parent, String op) {
    List<JsonNode> found = children(parent, op);
    assertEquals(1, found.size(), () -> op + " under " + parent.get("id") + " in " + project);
    return found.get(0);
  }

  public JsonNode call(String ref) {
    String id = ref.substring(ref.lastIndexOf('/') + 1);
    return calls.stream().filter(c -> c.get("id").asText().equals(id)).findFirst()
        .orElseThrow(() -> new AssertionError("no call " + ref + " in " + project));
  }

  /** The feedback on the calls of an evaluation's predictions. */
  public List<JsonNode> feedbackOn(List<JsonNode> modelCalls) {
    List<String> refs = modelCalls.stream().map(c -> "weave:///" + project + "/call/" + c.get("id").asText())
        .collect(Collectors.toList());
    return feedback.stream().filter(f -> refs.contains(f.get("weave_ref").asText())).collect(Collectors.toList());
  }

  /**
   * A value for comparing across projects and SDKs: this project's refs as if in {@code as}, and
   * every number a double (JavaScript writes 1.0 as 1).
   */
  public static JsonNode comparable(JsonNode v, String project, String as) throws Exception {
    return numbersAsDoubles(AgentRun.JSON.readTree(v.toString().replace("weave:///" + project + "/", "weave:///" + as + "/")));
  }

  private static JsonNode numbersAsDoubles(JsonNode v) {
    if (v.isNumber()) return DoubleNode.valueOf(v.asDouble());
    if (v.isObject()) {
      ObjectNode out = AgentRun.JSON.createObjectNode();
      v.fields().forEachRemaining(e -> out.set(e.getKey(), numbersAsDoubles(e.getValue())));
      return out;
    }
    if (v.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = AgentRun.JSON.createArrayNode();
      v.forEach(e -> out.add(numbersAsDoubles(e)));
      return out;
    }
    return v;
  }
}
