package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Evaluations written with Weft's Java API ({@code dev.weft.eval}, apps/EvalApp) under the agent:
 * Weave's objects, calls, summary and score feedback on a live server, online and from the
 * spool; and field by field the same as what the Weave TypeScript SDK writes for the same data
 * (the server module's src/test/node/sdk-evaluation.mjs), compared by {@link SameAsTheSdk}.
 */
class EvaluationIT {
  static final String APP = "dev.weft.it.apps.EvalApp";

  static AgentRun.Result runEvalApp(String endpoint, String project, String... more) throws Exception {
    AgentRun app = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint)
        .agentArg("project=" + project);
    for (String m : more) app.agentArg(m);
    AgentRun.Result run = app.run(APP).assertOk();
    assertTrue(run.stdout.contains("summary {exactBugType={true_count=2, true_fraction=0.6666666666666666}"), run.stdout);
    return run;
  }

  @Test
  void javaEvaluationsWriteWeaveObjectsCallsSummariesAndScoreFeedback() throws Exception {
    try (LiveServer server = new LiveServer()) {
      runEvalApp(server.base, "acme/evals");
      assertJavaEvaluations(server, new Evaluations(server, "acme/evals"));
    }
  }

  @Test
  void withoutTheAgentAnEvaluationRunsAndReturnsItsSummary() throws Exception {
    AgentRun.Result run = AgentRun.app().withoutAgent().run(APP).assertOk();
    assertTrue(run.stdout.contains("summary {exactBugType={true_count=2, true_fraction=0.6666666666666666}, "
        + "confidence={score={mean=1.0999999999999999}, long={true_count=3, true_fraction=1.0}}, model_latency={mean="), run.stdout);
    assertTrue(run.stdout.contains("logged {exactBugType={true_count=1, true_fraction=0.5}, confidence={mean=1.0}"), run.stdout);
    assertTrue(run.stdout.contains("failing {nonEmpty={true_count=1, true_fraction=0.3333333333333333}, model_latency="), run.stdout);
  }

  @Test
  void offlineEvaluationsGoToTheSpoolAndSyncUploadsThemWhole() throws Exception {
    Path spool = TempDirs.create("weft-eval-spool");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    runEvalApp("http://127.0.0.1:" + port, "acme/offline-evals", "mode=offline", "spool.dir=" + spool);
    List<Path> files = SpoolIT.spooled(spool);
    for (String route : List.of("obj_create", "table_create", "feedback_create", "call_upsert_batch")) {
      assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("." + route + ".json.gz")), route + " in " + files);
    }
    try (LiveServer server = new LiveServer()) {
      SpoolIT.sync(spool, server.base);
      assertJavaEvaluations(server, new Evaluations(server, "acme/offline-evals"));
    }
  }

  @Test
  void overOtlpAnEvaluationsCallsKeepTheirInputsAndObjectsGoUnpublished() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.app().agentArg("exporters=otlp").agentArg("otlp.endpoint=" + server.base + "/otel/v1/traces")
          .agentArg("project=acme/otlp-evals").run(APP).assertOk();
      List<JsonNode> calls = server.calls("acme/otlp-evals");
      JsonNode root = calls.stream().filter(c -> c.at("/inputs/self").asText().equals("triage-eval")
          && c.get("parent_id").isNull()).findFirst().orElseThrow(() -> new AssertionError(calls.toString()));
      assertEquals("triage", root.at("/inputs/model").asText(), "objects are named, not referenced, without a Weave exporter");
      assertEquals(2, root.at("/output/exactBugType/true_count").asInt());
      assertEquals(3, calls.stream().filter(c -> c.get("trace_id").equals(root.get("trace_id"))
          && c.at("/inputs/self").asText().equals("triage") && c.at("/inputs/bug").isTextual()).count(),
          "Model.predict's inputs: the row's columns");
      assertEquals(0, server.post("/objs/query", "{\"project_id\":\"acme/otlp-evals\",\"filter\":{\"is_op\":false}}")
          .get("objs").size());
    }
  }

  @Test
  void aJavaEvaluationMatchesWhatTheWeaveTypeScriptSdkWrites() throws Exception {
    try (LiveServer server = new LiveServer()) {
      WeaveTsSdk.write(server.base, "sdk-evaluation.mjs", "weft-test/ts");
      runEvalApp(server.base, "weft-test/java");
      Evaluations ts = new Evaluations(server, "weft-test/ts");
      Evaluations java = new Evaluations(server, "weft-test/java");
      // The logged form: the Evaluation, Model and Scorer objects are the SDK's to the byte.
      SameAsTheSdk.objects(ts, java, List.of("triage-logged", "triage", "exactBugType", "confidence"));
      compareBatchObjects(ts, java);
      SameAsTheSdk.loggedEvaluation(ts, java, "triage-logged", List.of("exactBugType", "confidence"));
    }
  }

  /** The batch form's Dataset and Evaluation, whose values hold refs the SDK's differ in. */
  private static void compareBatchObjects(Evaluations ts, Evaluations java) throws Exception {
    // The Dataset: the same value but for the project in its table ref, and the same table.
    JsonNode tsData = ts.objects.get("seeded-bugs").get("val"), javaData = java.objects.get("seeded-bugs").get("val");
    assertEquals(SameAsTheSdk.same(ts, tsData, java), SameAsTheSdk.same(java, javaData, java));
    // The Evaluation: the SDK's fields but for its ops' refs (evaluate, predictAndScore).
    JsonNode tsEval = ts.objects.get("triage-eval").get("val"), javaEval = java.objects.get("triage-eval").get("val");
    Set<String> javaKeys = new HashSet<>();
    javaEval.fieldNames().forEachRemaining(javaKeys::add);
    Set<String> tsKeys = new HashSet<>();
    tsEval.fieldNames().forEachRemaining(tsKeys::add);
    tsKeys.removeAll(List.of("evaluate", "predictAndScore"));
    assertEquals(tsKeys, javaKeys);
    for (String k : List.of("_type", "_class_name", "_bases", "name")) assertEquals(tsEval.get(k), javaEval.get(k), k);
    assertEquals(2, javaEval.get("scorers").size());
  }

  /** What EvalApp's three evaluations must have written, online or synced from the spool. */
  static void assertJavaEvaluations(LiveServer server, Evaluations e) throws Exception {
    String p = e.project;
    // The batch form: a dataset in a table, a prediction per row, each with its model's call, the
    // traced method inside it, and a call per scorer; then the summary.
    JsonNode root = e.evaluate("triage-eval");
    assertTrue(root.get("parent_id").isNull());
    assertEquals(ref(e, "triage-eval"), root.at("/inputs/self").asText(), "the digest Weft computed is the server's");
    assertEquals(ref(e, "triage"), root.at("/inputs/model").asText());
    JsonNode dataset = e.objects.get("seeded-bugs");
    String tableRef = dataset.at("/val/rows").asText();
    JsonNode table = server.post("/table/query", "{\"project_id\":\"" + p + "\",\"digest\":\""
        + tableRef.substring(tableRef.lastIndexOf('/') + 1) + "\"}").get("rows");
    assertEquals(3, table.size());
    Map<String, JsonNode> rowsByRef = new TreeMap<>();
    for (JsonNode row : table) rowsByRef.put(ref(e, "seeded-bugs") + "/attr/rows/id/" + row.get("digest").asText(), row.get("val"));
    List<JsonNode> preds = e.children(root, "Evaluation.predict_and_score");
    assertEquals(3, preds.size());
    assertEquals(rowsByRef.keySet(), preds.stream().map(c -> c.at("/inputs/example").asText()).collect(Collectors.toSet()));
    List<JsonNode> modelCalls = new ArrayList<>();
    for (JsonNode pred : preds) {
      JsonNode row = rowsByRef.get(pred.at("/inputs/example").asText());
      JsonNode model = e.one(pred, "Model.predict");
      modelCalls.add(model);
      assertEquals(row.get("bug"), model.at("/inputs/bug"));
      assertEquals(ref(e, "triage"), model.at("/inputs/self").asText());
      JsonNode traced = e.one(model, "EvalApp.diagnose");
      assertEquals(traced.get("output"), model.get("output"));
      assertEquals(model.get("output"), pred.at("/output/output"));
      boolean exact = model.get("output").equals(row.get("expected"));
      assertEquals(exact, e.one(pred, "exactBugType.score").get("output").asBoolean());
      assertEquals(exact, pred.at("/output/scores/exactBugType").asBoolean());
      assertEquals(model.get("output").asText().length() / 10.0, e.one(pred, "confidence.score").at("/output/score").asDouble());
      assertTrue(pred.at("/output/model_latency").asDouble() > 0, pred.toString());
      assertEquals(ref(e, "exactBugType"), e.one(pred, "exactBugType.score").at("/inputs/self").asText());
    }
    JsonNode summary = root.get("output");
    assertEquals(summary, e.one(root, "Evaluation.summarize").get("output"));
    assertEquals(2, summary.at("/exactBugType/true_count").asInt());
    assertEquals(2 / 3.0, summary.at("/exactBugType/true_fraction").asDouble(), 1e-9);
    assertEquals(1.1, summary.at("/confidence/score/mean").asDouble(), 1e-9);
    assertEquals(3, summary.at("/confidence/long/true_count").asInt());
    assertTrue(summary.at("/model_latency/mean").asDouble() > 0, summary.toString());
    List<JsonNode> feedback = e.feedbackOn(modelCalls);
    assertEquals(6, feedback.size(), "a score of each scorer on each prediction");
    for (JsonNode f : feedback) {
      String scorer = f.get("feedback_type").asText().substring("wandb.runnable.".length());
      JsonNode scoreCall = e.call(f.get("call_ref").asText());
      assertEquals(scorer + ".score", Evaluations.op(scoreCall));
      assertEquals(scoreCall.get("output"), f.at("/payload/output"));
      assertEquals(ref(e, scorer), f.get("runnable_ref").asText());
    }

    // The logged form: rows given one by one, in the call as they are.
    JsonNode logged = e.evaluate("triage-logged");
    List<JsonNode> loggedPreds = e.children(logged, "Evaluation.predict_and_score");
    assertEquals(2, loggedPreds.size());
    assertEquals(4, e.feedbackOn(loggedPreds.stream().map(c -> e.one(c, "Model.predict")).collect(Collectors.toList())).size());
    assertEquals(0.5, logged.at("/output/exactBugType/true_fraction").asDouble());
    assertEquals(1.0, logged.at("/output/confidence/mean").asDouble());

    // Failures stay on their calls; the evaluation goes on.
    JsonNode failing = e.evaluate("failing-eval");
    assertTrue(failing.get("exception").isNull());
    List<JsonNode> failingPreds = e.children(failing, "Evaluation.predict_and_score");
    assertEquals(3, failingPreds.size());
    List<JsonNode> oddRow = failingPreds.stream().filter(c -> !c.get("exception").isNull()).collect(Collectors.toList());
    assertEquals(1, oddRow.size());
    assertTrue(oddRow.get(0).get("exception").asText().contains("a row must be a Map or a record"), oddRow.toString());
    assertTrue(e.children(oddRow.get(0), null).isEmpty());
    JsonNode modelBroke = failingPreds.stream().filter(c -> e.children(c, "Model.predict").size() == 1
        && !e.one(c, "Model.predict").get("exception").isNull()).findFirst().orElseThrow();
    assertTrue(e.one(modelBroke, "Model.predict").get("exception").asText().contains("model broke"));
    assertEquals(1, e.children(modelBroke, null).size(), "no scorer runs on a failed prediction");
    assertEquals(0, modelBroke.at("/output/scores").size());
    JsonNode scored = failingPreds.stream().filter(c -> e.children(c, null).size() == 3).findFirst().orElseThrow();
    assertTrue(e.one(scored, "broken.score").get("exception").asText().contains("scorer broke"));
    assertTrue(e.one(scored, "nonEmpty.score").get("output").asBoolean());
    assertEquals(1, e.feedbackOn(List.of(e.one(scored, "Model.predict"))).size(), "no feedback from a scorer that failed");
    assertEquals(1, failing.at("/output/nonEmpty/true_count").asInt());
    assertTrue(failing.at("/output/broken").isMissingNode(), failing.get("output").toString());
  }

  /** {@code weave:///project/object/id:digest}, the digest as the server computed it. */
  private static String ref(Evaluations e, String objectId) {
    JsonNode o = e.objects.get(objectId);
    assertNotNull(o, objectId + " in " + e.objects.keySet());
    return "weave:///" + e.project + "/object/" + objectId + ":" + o.get("digest").asText();
  }
}
