package dev.weft.junit;

import static dev.weft.it.Evaluations.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.it.Evaluations;
import dev.weft.it.LiveServer;
import dev.weft.it.SameAsTheSdk;
import dev.weft.it.WeaveTsSdk;
import dev.weft.junit.suite.MethodSuite;
import dev.weft.junit.suite.TriageSuite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A JUnit suite run through the JUnit Platform Launcher in a JVM under the Weft agent, exporting
 * to a live server: a marked class becomes one Weave evaluation (its parameterized rows the
 * predictions, {@code passed} and added scores as scorer calls and feedback), its plain tests
 * calls of the run, whose {@code pass_rate} is logged; a marked method is an evaluation of its own.
 * And field by field, the evaluation is what the Weave TypeScript SDK writes for the same tests.
 */
class JUnitEvaluationIT {
  private static final String PROJECT = "acme/junit";

  @Test
  void aMarkedSuiteBecomesWeaveEvaluationsAndARunWithItsPassRate() throws Exception {
    try (LiveServer server = new LiveServer()) {
      String out = runSuite(server.base, PROJECT, TriageSuite.class, MethodSuite.class);
      assertTrue(out.contains("junit succeeded=8 failed=2 aborted=1"), out);
      List<JsonNode> calls = server.calls(PROJECT);

      // The class: one evaluation, a prediction per row.
      JsonNode root = one(calls, c -> op(c).equals("Evaluation.evaluate")
          && c.at("/inputs/self").asText().contains("/object/triage-tests:"));
      assertTrue(root.at("/inputs/model").asText().contains("/object/triage:"), root.toString());
      List<JsonNode> preds = children(calls, root, "Evaluation.predict_and_score");
      assertEquals(3, preds.size());
      Map<String, JsonNode> byBug = new TreeMap<>();
      for (JsonNode p : preds) byBug.put(p.at("/inputs/example/bug").asText(), p);
      assertEquals(List.of("Calculator.add", "Parser.parse", "Range.contains"), List.copyOf(byBug.keySet()));
      for (Map.Entry<String, JsonNode> e : byBug.entrySet()) {
        JsonNode p = e.getValue();
        boolean passes = !e.getKey().equals("Range.contains");
        JsonNode model = one(children(calls, p, "Model.predict"), c -> true);
        assertEquals(e.getKey(), model.at("/inputs/bug").asText());
        assertEquals(p.at("/inputs/example/expected"), model.at("/inputs/expected"));
        assertEquals(1, children(calls, model, "TriageSuite.diagnose").size(), "the traced code nests in the model's call");
        assertEquals(passes, model.get("exception").isNull(), model.toString());
        if (!passes) {
          assertTrue(model.get("exception").asText().contains("expected: <boundary> but was: <off-by-one>"), model.toString());
        }
        String found = e.getKey().equals("Parser.parse") ? "null-handling" : "off-by-one";
        assertEquals(found, p.at("/output/output").asText(), "the test's Scores.output, kept when it then fails");
        JsonNode passed = one(children(calls, p, "passed.score"), c -> true);
        assertEquals(passes, passed.get("output").asBoolean());
        assertEquals(passes, p.at("/output/scores/passed").asBoolean());
        assertTrue(p.get("exception").isNull(), "a failed test is a score, not a failed prediction");
        JsonNode confidence = one(children(calls, p, "confidence.score"), c -> true);
        assertEquals(found.length() / 10.0, confidence.get("output").asDouble());
        JsonNode feedback = server.post("/feedback/query", "{\"project_id\":\"" + PROJECT + "\"}").get("result");
        String modelRef = "weave:///" + PROJECT + "/call/" + model.get("id").asText();
        List<String> types = stream(feedback).filter(f -> f.get("weave_ref").asText().equals(modelRef))
            .map(f -> f.get("feedback_type").asText() + "=" + f.at("/payload/output")).sorted().collect(Collectors.toList());
        assertEquals(List.of("wandb.runnable.confidence=" + confidence.get("output"), "wandb.runnable.passed=" + passes), types);
      }
      JsonNode summary = root.get("output");
      assertEquals(2, summary.at("/passed/true_count").asInt(), summary.toString());
      assertEquals(2 / 3.0, summary.at("/passed/true_fraction").asDouble(), 1e-9);
      assertEquals((1.0 + 1.3 + 1.0) / 3, summary.at("/confidence/mean").asDouble(), 1e-9);
      assertEquals(summary, one(children(calls, root, "Evaluation.summarize"), c -> true).get("output"));

      // Its plain tests: calls of the run; an aborted one counts nowhere.
      for (String test : List.of("compiles", "handlesUnknownBugs", "failsOnPurpose", "isAbortedOnPurpose")) {
        JsonNode call = one(calls, c -> op(c).equals("TriageSuite." + test));
        assertTrue(call.get("parent_id").isNull());
        assertEquals(test.equals("compiles") || test.equals("handlesUnknownBugs"), call.get("exception").isNull(), test);
        assertEquals(1, children(calls, call, "TriageSuite.diagnose").size() + (test.equals("isAbortedOnPurpose") ? 1 : 0));
        assertTrue(call.get("wb_run_id").asText().startsWith(PROJECT + "/"), call.toString());
      }
      String runId = one(calls, c -> op(c).equals("TriageSuite.compiles")).get("wb_run_id").asText().substring(PROJECT.length() + 1);
      JsonNode points = server.post("/run/history", "{\"project_id\":\"" + PROJECT + "\",\"run_id\":\"" + runId
          + "\",\"metrics\":[\"pass_rate\",\"tests\",\"tests_failed\"]}").get("points");
      Map<String, Double> logged = stream(points).collect(Collectors.toMap(p -> p.get("name").asText(), p -> p.get("value").asDouble()));
      assertEquals(Map.of("pass_rate", 4 / 6.0, "tests", 6.0, "tests_failed", 2.0), logged, "2 of 3 rows and 2 of 3 plain tests passed");

      // A marked method in an unmarked class: an evaluation of its own; the other test is not recorded.
      JsonNode squares = one(calls, c -> op(c).equals("Evaluation.evaluate")
          && c.at("/inputs/self").asText().contains("/object/MethodSuite.squares:"));
      assertEquals(3, children(calls, squares, "Evaluation.predict_and_score").size());
      assertEquals(3, squares.at("/output/passed/true_count").asInt());
      assertTrue(calls.stream().noneMatch(c -> op(c).startsWith("MethodSuite.")), "plain tests of an unmarked class");
    }
  }

  @Test
  void aMarkedSuiteWritesWhatTheWeaveTypeScriptSdkWritesForTheSameTests() throws Exception {
    try (LiveServer server = new LiveServer()) {
      WeaveTsSdk.write(server.base, "sdk-test-evaluation.mjs", "weft-test/ts");
      runSuite(server.base, "weft-test/junit", TriageSuite.class);
      Evaluations ts = new Evaluations(server, "weft-test/ts");
      Evaluations junit = new Evaluations(server, "weft-test/junit");
      SameAsTheSdk.objects(ts, junit, List.of("triage-tests", "triage", "confidence", "passed"));
      SameAsTheSdk.loggedEvaluation(ts, junit, "triage-tests", List.of("confidence", "passed"));
    }
  }

  /** Runs the suites through the Launcher in a JVM under the agent, exporting to {@code project}. */
  private static String runSuite(String endpoint, String project, Class<?>... suites) throws Exception {
    List<String> names = new ArrayList<>();
    for (Class<?> suite : suites) names.add(suite.getName());
    return runUnderAgent(endpoint, project, SuiteRunner.class.getName(), names.toArray(new String[0]));
  }

  /** Runs {@code mainClass} of this class path in a JVM under the agent, exporting to {@code project}; its output. */
  static String runUnderAgent(String endpoint, String project, String mainClass, String... args) throws Exception {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path agent = Path.of(System.getProperty("weft.agent.jar", "../agent/target/weft-agent.jar")).toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-javaagent:" + agent + "=exporters=weave,endpoint=" + endpoint + ",project=" + project,
        "-cp", classpath, mainClass));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), mainClass + " ended");
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  private static List<JsonNode> children(List<JsonNode> calls, JsonNode parent, String op) {
    return calls.stream().filter(c -> parent.get("id").equals(c.get("parent_id")) && op(c).equals(op)).collect(Collectors.toList());
  }

  private static JsonNode one(List<JsonNode> calls, java.util.function.Predicate<JsonNode> p) {
    List<JsonNode> found = calls.stream().filter(p).collect(Collectors.toList());
    assertEquals(1, found.size(), () -> "matching calls: " + found);
    return found.get(0);
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }
}
