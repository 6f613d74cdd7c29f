package dev.weft.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SummariesTest {
  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void booleansBecomeTrueCountAndFractionNumbersAMeanMapsRecurse() {
    Map<String, Object> summary = Summaries.of(List.of(
        row("exact", true, "time", 2, "nested", Map.of("ok", true, "score", 0.5)),
        row("exact", false, "time", 4.0, "nested", Map.of("ok", true, "score", 1.5)),
        row("exact", true, "time", 6L, "nested", Map.of("ok", false, "score", 1))));
    assertEquals(Map.of("true_count", 2L, "true_fraction", 2 / 3.0), summary.get("exact"));
    assertEquals(Map.of("mean", 4.0), summary.get("time"));
    assertEquals(Map.of("ok", Map.of("true_count", 2L, "true_fraction", 2 / 3.0), "score", Map.of("mean", 1.0)),
        summary.get("nested"));
  }

  @Test
  void missingValuesCountAgainstTheFractionAndTheMeanAsInWeavesTypeScriptSdk() {
    Map<String, Object> summary = Summaries.of(Arrays.asList(row("passed", true, "score", 3), row("passed", null), row()));
    assertEquals(Map.of("true_count", 1L, "true_fraction", 1 / 3.0), summary.get("passed"));
    assertEquals(Map.of("mean", 1.0), summary.get("score"));
  }

  @Test
  void columnsOfTextOrMixedKindsOrOnlyNullsAreLeftOut() {
    Map<String, Object> summary = Summaries.of(List.of(row("output", "off-by-one", "mixed", true, "none", null),
        row("output", "boundary", "mixed", 1)));
    assertEquals(Map.of(), summary);
  }

  @Test
  void columnsKeepTheOrderTheyFirstAppearIn() {
    Map<String, Object> summary = Summaries.of(List.of(row("b", true), new java.util.LinkedHashMap<>(Map.of("a", 1))));
    assertEquals(List.of("b", "a"), List.copyOf(summary.keySet()));
  }
}
