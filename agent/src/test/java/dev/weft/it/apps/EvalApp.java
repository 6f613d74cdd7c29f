package dev.weft.it.apps;

import dev.weft.Traced;
import dev.weft.eval.Dataset;
import dev.weft.eval.Evaluation;
import dev.weft.eval.EvaluationRun;
import dev.weft.eval.Prediction;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes evaluations with Weft's Java API, the data of src/test/node/sdk-evaluation.mjs in the
 * server module: the batch form ({@code evaluate}, a dataset, a model calling a traced method,
 * a boolean and a map scorer) and the logged form ({@code start}, predictions and scores one by
 * one), then one where a row, the model and a scorer fail. Prints each summary.
 */
public class EvalApp {
  record Bug(String bug, String expected) {}

  /** The model under evaluation: a traced method, so its call nests in the prediction's. */
  @Traced
  static String diagnose(String bug, String expected) {
    return bug.equals("Range.contains") ? "off-by-one" : expected;
  }

  /** A map score, its keys in order (as the SDK's object literal). */
  static Map<String, Object> confidence(String output) {
    Map<String, Object> score = new LinkedHashMap<>();
    score.put("score", output.length() / 10.0);
    score.put("long", output.length() > 8);
    return score;
  }

  public static void main(String[] args) {
    Dataset<Bug> bugs = Dataset.of("seeded bugs", List.of(new Bug("Calculator.add", "off-by-one"),
        new Bug("Parser.parse", "null-handling"), new Bug("Range.contains", "boundary")));
    Map<String, Object> summary = Evaluation.of("triage-eval", bugs)
        .scorer("exactBugType", (row, output) -> output.equals(row.expected()))
        .scorer("confidence", (row, output) -> confidence(output.toString()))
        .concurrency(2)
        .evaluate("triage", row -> diagnose(row.bug(), row.expected()));
    System.out.println("summary " + summary);

    try (EvaluationRun run = Evaluation.named("triage-logged", "seeded bugs").start("triage")) {
      for (Bug row : List.of(new Bug("Calculator.add", "off-by-one"), new Bug("Range.contains", "boundary"))) {
        String output = row.bug().equals("Range.contains") ? "off-by-one" : row.expected();
        Prediction p = run.predict(Map.of("bug", row.bug(), "expected", row.expected()));
        p.output(output);
        p.score("exactBugType", output.equals(row.expected()));
        p.score("confidence", output.length() / 10.0);
        p.finish();
      }
      System.out.println("logged " + run.finish());
    }

    Dataset<Object> odd = Dataset.of("odd rows", List.of(Map.of("bug", "ok"), new StringBuilder("not a row"),
        Map.of("bug", "boom")));
    Map<String, Object> failing = Evaluation.of("failing-eval", odd)
        .scorer("nonEmpty", (row, output) -> !output.toString().isEmpty())
        .scorer("broken", (row, output) -> {
          throw new IllegalStateException("scorer broke");
        })
        .concurrency(1)
        .evaluate("fragile", row -> {
          if (((Map<?, ?>) row).get("bug").equals("boom")) throw new IllegalArgumentException("model broke");
          return "fine";
        });
    System.out.println("failing " + failing);
  }
}
