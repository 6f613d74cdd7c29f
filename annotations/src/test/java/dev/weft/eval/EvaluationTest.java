package dev.weft.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without the agent: the model and scorers run, and the summary comes back. */
class EvaluationTest {
  record Bug(String bug, String expected) {}

  @Test
  void evaluateRunsTheModelOnEveryRowOfEveryTrialAndSummarisesTheScores() {
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    Dataset<Bug> bugs = Dataset.of("bugs", List.of(new Bug("add", "off-by-one"), new Bug("div", "null")));
    Map<String, Object> summary = Evaluation.of("triage", bugs)
        .scorer("exact", (row, output) -> output.equals(row.expected()))
        .scorer("length", (row, output) -> output.toString().length())
        .trials(3).concurrency(4)
        .evaluate("model", row -> {
          seen.add(row.bug());
          return "off-by-one";
        });
    assertEquals(6, seen.size());
    assertEquals(Map.of("true_count", 3L, "true_fraction", 0.5), summary.get("exact"));
    assertEquals(Map.of("mean", 10.0), summary.get("length"));
    assertEquals(List.of("exact", "length", "model_latency"), List.copyOf(summary.keySet()));
  }

  @Test
  void aThrowingModelOrScorerOrAnOddRowScoresNothingAndTheEvaluationGoesOn() {
    Dataset<Object> rows = Dataset.of("odd", List.of(Map.of("n", 1), "not a row", Map.of("n", 2), Map.of("n", 3)));
    Map<String, Object> summary = Evaluation.of("odd", rows)
        .scorer("positive", (row, output) -> (Integer) output > 0)
        .scorer("broken", (row, output) -> {
          throw new IllegalStateException("broken");
        })
        .concurrency(1)
        .evaluate("model", row -> {
          int n = (Integer) ((Map<?, ?>) row).get("n");
          if (n == 2) throw new IllegalArgumentException("model broke");
          return n;
        });
    assertEquals(Map.of("true_count", 2L, "true_fraction", 0.5), summary.get("positive"));
    assertEquals(Map.of("mean", 1.0), summary.get("output"), "outputs that are numbers are summarised too: (1 + 3) / 4 rows");
    assertNull(summary.get("broken"));
  }

  @Test
  void rowsAreMapsOrRecordsByColumn() {
    assertEquals(Map.of("bug", "add", "expected", "x"), Rows.columns(new Bug("add", "x")));
    assertEquals(Map.of("n", 1), Rows.columns(Map.of("n", 1)));
    assertNull(Rows.columns("text"));
    assertEquals("row 1 is a java.lang.String; a row must be a Map or a record", Rows.notARow("text", 1));
    assertEquals("seeded-bugs", Rows.objectId(" seeded  bugs "));
    assertEquals("a_b-c", Rows.objectId("a/b c"));
  }

  @Test
  void loggedPredictionsTakeScoresGivenWhileTheModelRunsAndAfter() {
    try (EvaluationRun run = Evaluation.named("logged", "tests").start("model")) {
      Prediction p = run.predict(Map.of("n", 1));
      try (Prediction.Scope s = p.modelRunning()) {
        Scores.add("early", 1.0);
      }
      Scores.add("ignored outside a model's run", true);
      p.output("out");
      p.score("late", true);
      p.finish();
      assertEquals(Map.of("early", 1.0, "late", true), p.scores());
      assertEquals(Map.of("mean", 1.0), run.finish().get("early"));
    }
  }

  @Test
  void anOutputGivenWhileTheModelRunsIsThePredictionsEvenIfTheModelThenFails() {
    try (EvaluationRun run = Evaluation.named("tests", "tests").start("model")) {
      Prediction passing = run.predict(Map.of("n", 1));
      try (Prediction.Scope s = passing.modelRunning()) {
        Scores.output(false);
        Scores.output(true); // the last one counts
      }
      passing.finish();
      Prediction failing = run.predict(Map.of("n", 2));
      try (Prediction.Scope s = failing.modelRunning()) {
        Scores.output(true);
      }
      failing.error(new AssertionError("expected: <1> but was: <2>"));
      failing.finish();
      Scores.output(false); // outside a prediction: ignored
      assertEquals(Map.of("true_count", 2L, "true_fraction", 1.0), run.finish().get("output"));
    }
  }

  @Test
  void finishingARunFinishesItsUnfinishedPredictions() {
    EvaluationRun run = Evaluation.named("logged", "tests").start("model");
    run.predict(Map.of("n", 1)).score("kept", true);
    assertEquals(Map.of("kept", Map.of("true_count", 1L, "true_fraction", 1.0)), withoutLatency(run.finish()));
    assertEquals(run.finish(), run.summary());
  }

  private static Map<String, Object> withoutLatency(Map<String, Object> summary) {
    Map<String, Object> out = new java.util.HashMap<>(summary);
    out.remove("model_latency");
    return out;
  }

  @Test
  void settingsAreChecked() {
    assertThrows(IllegalArgumentException.class, () -> Evaluation.named("e", "d").trials(0));
    assertThrows(IllegalArgumentException.class, () -> Evaluation.named("e", "d").concurrency(0));
    assertThrows(IllegalStateException.class, () -> Evaluation.named("e", "d").evaluate("m", row -> row));
  }
}
