package dev.weft.it.apps;

import dev.weft.Traced;
import dev.weft.Weft;
import java.util.List;
import java.util.Map;

/** Logs a run's metrics, summary, config and a table; then ends as args[0] says: ok, exit3 or throw. */
public class RunApp {
  @Traced
  static double fixBug(int iteration) {
    double passRate = 0.25 * (iteration + 1);
    Weft.log(Map.of("pass_rate", passRate, "fix_time_seconds", 10.0 / (iteration + 1)));
    return passRate;
  }

  public static void main(String[] args) {
    Weft.config(Map.of("seed", 42, "model", "rules-v2"));
    for (int i = 0; i < 3; i++) fixBug(i);
    Weft.summary("bug_types", Map.of("off-by-one", 2, "null", 1));
    Weft.table("recent_fixes", List.of("bug", "iterations"), List.of(List.of("Calc.add", 2), List.of("Str.pad", 1)));
    System.out.println("run " + Weft.runId());
    switch (args[0]) {
      case "exit3": System.exit(3); break;
      case "throw": throw new IllegalStateException("main failed");
      default: break;
    }
  }
}
