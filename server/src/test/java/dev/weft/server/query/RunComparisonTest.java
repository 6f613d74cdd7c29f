package dev.weft.server.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunComparisonTest {
  static RunComparison.Row row(List<RunComparison.Row> rows, String metric) {
    return rows.stream().filter(r -> r.metric().equals(metric)).findFirst().orElseThrow();
  }

  @Test
  void whichWayIsBetterGoesByTheNameUnlessTheGateSays() {
    assertTrue(RunComparison.lowerIsBetter("fix_time_seconds"));
    assertTrue(RunComparison.lowerIsBetter("val_Loss"));
    assertFalse(RunComparison.lowerIsBetter("pass_rate"));
    List<RunComparison.Row> rows = RunComparison.compare(Map.of("loss", 1.0), Map.of("loss", 2.0),
        List.of(RunComparison.Gate.parse("loss:0:higher")));
    assertEquals("better", row(rows, "loss").verdict());
  }

  @Test
  void aMetricRegressesOnlyBeyondItsToleranceAbsoluteOrRelative() {
    Map<String, Double> base = Map.of("pass_rate", 0.9, "fix_time_seconds", 10.0);
    List<RunComparison.Row> rows = RunComparison.compare(base, Map.of("pass_rate", 0.86, "fix_time_seconds", 12.0),
        List.of(RunComparison.Gate.parse("pass_rate:±0.05"), RunComparison.Gate.parse("fix_time_seconds:10%")));
    assertEquals("worse", row(rows, "pass_rate").verdict());
    assertEquals("regressed", row(rows, "fix_time_seconds").verdict(), "+20% against a 10% tolerance");
    assertEquals("±10%", row(rows, "fix_time_seconds").tolerance());
    assertEquals(2.0, row(rows, "fix_time_seconds").delta(), 1e-9);
    assertTrue(RunComparison.regressed(rows));
    assertFalse(RunComparison.regressed(RunComparison.compare(base, Map.of("pass_rate", 0.95, "fix_time_seconds", 10.0), List.of())));
  }

  @Test
  void withoutGatesEveryCommonMetricIsGatedAtZeroAndOthersAreShown() {
    List<RunComparison.Row> rows = RunComparison.compare(Map.of("a", 1.0, "old", 1.0), Map.of("a", 0.99, "new", 1.0), List.of());
    assertEquals("regressed", row(rows, "a").verdict());
    assertEquals("missing", row(rows, "old").verdict());
    assertEquals("missing", row(rows, "new").verdict());
    List<RunComparison.Row> gone = RunComparison.compare(Map.of("a", 1.0), Map.of(), List.of(RunComparison.Gate.parse("a")));
    assertEquals("regressed", row(gone, "a").verdict(), "a gated metric the candidate lost");
  }

  @Test
  void badGatesAreRefusedClearly() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunComparison.Gate.parse("x:lots")).getMessage().contains("not a number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunComparison.Gate.parse("x:1:sideways")).getMessage().contains("higher"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> RunComparison.Gate.parse(":1")).getMessage().contains("NAME"));
  }
}
