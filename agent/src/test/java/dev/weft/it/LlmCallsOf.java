package dev.weft.it;

import static dev.weft.it.AgentRun.assertChildOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The LLM calls of a run, one provider's (by op prefix, e.g. {@code openai.}), found as the LLM ITs look for them. */
final class LlmCallsOf {
  private final AgentRun.Result run;
  private final String opPrefix;

  LlmCallsOf(AgentRun.Result run, String opPrefix) {
    this.run = run;
    this.opPrefix = opPrefix;
  }

  List<JsonNode> all() {
    return run.where(c -> c.get("op_name").asText().startsWith(opPrefix));
  }

  /** The one root call of {@code op}. */
  JsonNode root(String op) {
    List<JsonNode> roots = run.where(c -> c.get("op_name").asText().equals(op) && c.get("parent_id").isNull());
    assertEquals(1, roots.size(), () -> op + " in " + run.opNames());
    return roots.get(0);
  }

  /** The one model call under the root call of {@code op}, checked to nest directly under it. */
  JsonNode under(String op) {
    JsonNode parent = root(op);
    List<JsonNode> llm = run.childrenOf(parent);
    llm.removeIf(c -> !c.get("op_name").asText().startsWith(opPrefix));
    assertEquals(1, llm.size(), () -> "one model call under " + op + ": " + run.childrenOf(parent));
    assertChildOf(parent, llm.get(0));
    return llm.get(0);
  }

  /** The one model call whose request named {@code model}, checked to nest under its caller. */
  JsonNode forModel(String model) {
    List<JsonNode> found = run.where(c -> c.get("op_name").asText().startsWith(opPrefix)
        && c.at("/inputs/model").asText().equals(model));
    assertEquals(1, found.size(), () -> "one model call for " + model + " in " + run.opNames());
    assertChildOf(run.byId(found.get(0).get("parent_id").asText()), found.get(0));
    return found.get(0);
  }

  /** {@code summary.usage[model]} holds these counts, in the one spelling (no input_/output_tokens). */
  static void assertUsage(JsonNode call, String model, long requests, long prompt, long completion, long total) {
    JsonNode u = call.at("/summary/usage/" + model);
    assertEquals(requests, u.path("requests").asLong(), () -> "requests of " + model + " in " + call.get("summary"));
    assertEquals(prompt, u.path("prompt_tokens").asLong(), () -> "prompt_tokens in " + call.get("summary"));
    assertEquals(completion, u.path("completion_tokens").asLong(), () -> "completion_tokens in " + call.get("summary"));
    assertEquals(total, u.path("total_tokens").asLong(), () -> "total_tokens in " + call.get("summary"));
    assertFalse(u.has("input_tokens") || u.has("output_tokens"), () -> "one spelling of usage: " + u);
  }
}
