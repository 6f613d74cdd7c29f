package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.store.Store;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LLM tokens and cost of runs: the sum over each run's root calls (those whose
 * {@code wb_run_id} names the run and that have no parent) of their {@code summary.usage}, which
 * already sums their descendants', each root priced at its start. A trace counts once it has
 * ended, as its root's summary is written then.
 */
public final class RunUsage {
  private RunUsage() {}

  /** What {@code summary.llm} of each run carries, by run id; runs without LLM usage are absent. */
  public static Map<String, ObjectNode> of(Store calls, PriceBook prices, String projectId, List<String> runIds,
      ObjectMapper json) {
    Map<String, Map<String, double[]>> sums = new HashMap<>(); // run → model → counts and cost
    Map<String, Boolean> unpriced = new HashMap<>();            // run/model → some usage had no price
    if (runIds.isEmpty()) return Map.of();
    calls.scanRunRoots(projectId, runIds, c -> {
      JsonNode usage;
      try {
        usage = json.readTree(c.summary()).path("usage");
      } catch (IOException e) {
        return true; // not JSON: nothing to count
      }
      String prefix = projectId + "/";
      String run = c.wbRunId().startsWith(prefix) ? c.wbRunId().substring(prefix.length()) : c.wbRunId();
      for (PriceBook.ModelCost m : prices.costs(usage, c.startedAt())) {
        double[] s = sums.computeIfAbsent(run, k -> new LinkedHashMap<>()).computeIfAbsent(m.model(), k -> new double[7]);
        s[0] += m.requests();
        s[1] += m.promptTokens();
        s[2] += m.completionTokens();
        s[3] += m.totalTokens();
        s[4] += m.cacheReadInputTokens();
        s[5] += m.cacheCreationInputTokens();
        if (m.price() != null) s[6] += m.totalCost();
        else unpriced.put(run + "\n" + m.model(), true);
      }
      return true;
    });
    Map<String, ObjectNode> out = new HashMap<>();
    sums.forEach((run, models) -> {
      ObjectNode llm = json.createObjectNode();
      long tokens = 0;
      double cost = 0;
      boolean anyPriced = false;
      ObjectNode byModel = json.createObjectNode();
      for (Map.Entry<String, double[]> m : models.entrySet()) {
        double[] s = m.getValue();
        boolean priced = !unpriced.containsKey(run + "\n" + m.getKey());
        ObjectNode n = byModel.putObject(m.getKey()).put("requests", (long) s[0]).put("prompt_tokens", (long) s[1])
            .put("completion_tokens", (long) s[2]).put("total_tokens", (long) s[3])
            .put("cache_read_input_tokens", (long) s[4]).put("cache_creation_input_tokens", (long) s[5]);
        if (priced) n.put("cost", s[6]); else n.putNull("cost");
        tokens += (long) s[3];
        if (priced) {
          cost += s[6];
          anyPriced = true;
        }
      }
      llm.put("total_tokens", tokens);
      if (anyPriced) llm.put("cost", cost); else llm.putNull("cost");
      llm.set("models", byModel);
      out.put(run, llm);
    });
    return out;
  }
}
