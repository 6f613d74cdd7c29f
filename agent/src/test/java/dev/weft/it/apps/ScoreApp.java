package dev.weft.it.apps;

import dev.weft.Weft;
import java.util.Map;

/** An evaluation job's run: logs pass_rate = args[0] and fix_time_seconds = args[1]. */
public class ScoreApp {
  public static void main(String[] args) {
    Weft.log(Map.of("pass_rate", Double.parseDouble(args[0]) - 0.1, "fix_time_seconds", 99.0)); // an earlier step
    Weft.log(Map.of("pass_rate", Double.parseDouble(args[0]), "fix_time_seconds", Double.parseDouble(args[1])));
    System.out.println("run " + Weft.runId());
  }
}
