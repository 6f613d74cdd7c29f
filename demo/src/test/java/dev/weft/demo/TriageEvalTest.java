package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.eval.EvaluationRun;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --eval} without the agent: Triage's rules scored against the seeded kinds. */
class TriageEvalTest {
  @Test
  void everyUnitIsLabelledWithADifferentKnownKind() {
    Set<String> units = new HashSet<>(), kinds = new HashSet<>();
    for (Map<String, Object> row : TriageEval.rows()) {
      units.add((String) row.get("unit"));
      kinds.add((String) row.get("seeded_kind"));
    }
    Set<String> all = new HashSet<>();
    for (CodeBase.Unit u : new CodeBase().units) all.add(u.name());
    assertEquals(all, units, "a label for each unit of the code base");
    assertEquals(units.size(), kinds.size(), "each a different kind");
    assertTrue(Mutations.KINDS.containsAll(kinds), "kinds the Fixer knows");
  }

  @SuppressWarnings("unchecked")
  @Test
  void theSummaryScoresTheRulesAsWeaveSummarisesThem() {
    EvaluationRun run = TriageEval.run(new CodeBase(), null);
    assertNull(run.callId(), "no call without the agent");
    Map<String, Object> summary = run.summary();
    Map<String, Object> first = (Map<String, Object>) summary.get("first_is_seeded");
    Map<String, Object> rank = (Map<String, Object>) summary.get("seeded_rank");
    long right = ((Number) first.get("true_count")).longValue();
    assertTrue(right >= 1 && right <= 9, summary.toString());
    assertEquals(right / 9.0, ((Number) first.get("true_fraction")).doubleValue(), 1e-9);
    double mean = ((Number) rank.get("mean")).doubleValue();
    assertTrue(mean >= 1 && mean <= Mutations.KINDS.size() + 1, summary.toString());
    assertTrue(summary.containsKey("model_latency"), summary.toString());
  }
}
