package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The real Weave TypeScript SDK writes evaluations in both its forms (src/test/node/sdk-evaluation.mjs)
 * and the server keeps them as written: what Weft's Java API is compared with, field by field, in
 * the agent's EvaluationIT.
 */
class WeaveSdkEvaluationIT {
  @Test
  void theWeaveSdkWritesEvaluationsInBothItsForms() throws Exception {
    boolean installed = Files.isDirectory(WeaveSdkIT.NODE_DIR.resolve("node_modules/weave"));
    if (System.getenv("CI") != null) assertTrue(installed, "CI must install the Weave SDK: npm ci in " + WeaveSdkIT.NODE_DIR);
    assumeTrue(installed, "the Weave SDK is not installed: run npm ci in " + WeaveSdkIT.NODE_DIR + " (.ci/run does)");

    try (ServerFixture s = ServerFixture.start()) {
      ProcessBuilder pb = new ProcessBuilder("node", "sdk-evaluation.mjs").directory(WeaveSdkIT.NODE_DIR.toFile());
      pb.environment().putAll(Map.of("WANDB_API_KEY", "any-key-works-locally", "WF_TRACE_SERVER_URL", s.base,
          "WEAVE_PRINT_CALL_LINK", "false", "WEFT_PROJECT", "weft-test/eval"));
      pb.environment().remove("WANDB_BASE_URL");
      Process p = pb.redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);

      List<JsonNode> calls = new ArrayList<>();
      s.ok("/calls/stream_query", obj("{'project_id':'weft-test/eval'}")).forEach(calls::add);
      Map<String, Integer> byOp = new TreeMap<>();
      for (JsonNode c : calls) byOp.merge(op(c), 1, Integer::sum);
      // The Evaluation class: its own op names, the model's op; the logger: Weave's names and a summarize call.
      assertEquals(Map.of("Evaluation.evaluate", 2, "Evaluation.predictAndScore", 3, "triage", 3, "exactBugType", 3,
          "confidence", 3, "Evaluation.predict_and_score", 2, "Model.predict", 2, "exactBugType.score", 2,
          "confidence.score", 2, "Evaluation.summarize", 1), byOp);
      JsonNode logged = calls.stream().filter(c -> op(c).equals("Evaluation.evaluate") && c.get("display_name").isNull())
          .findFirst().orElseThrow();
      assertEquals(obj("{'exactBugType':{'true_count':1,'true_fraction':0.5},'confidence':{'mean':1}}"), logged.get("output"));
      JsonNode batch = calls.stream().filter(c -> op(c).equals("Evaluation.evaluate") && !c.get("display_name").isNull())
          .findFirst().orElseThrow();
      assertEquals("triage-eval_triage", batch.get("display_name").asText());
      assertEquals(2, batch.at("/output/exactBugType/true_count").asInt());

      JsonNode objs = s.ok("/objs/query", obj("{'project_id':'weft-test/eval','filter':{'is_op':false}}")).get("objs");
      Map<String, String> classes = new TreeMap<>();
      for (JsonNode o : objs) classes.put(o.get("object_id").asText(), o.get("base_object_class").asText());
      assertEquals(Map.of("seeded-bugs", "Dataset", "triage-eval", "Evaluation", "triage-logged", "Evaluation",
          "triage", "Model", "exactBugType", "Scorer", "confidence", "Scorer"), classes);

      // Only the logger records scores as feedback: on the Model.predict calls, one per score.
      JsonNode feedback = s.ok("/feedback/query", obj("{'project_id':'weft-test/eval'}")).get("result");
      assertEquals(4, feedback.size());
      List<String> predictIds = calls.stream().filter(c -> op(c).equals("Model.predict"))
          .map(c -> "weave:///weft-test/eval/call/" + c.get("id").asText()).collect(Collectors.toList());
      for (JsonNode f : feedback) {
        assertTrue(predictIds.contains(f.get("weave_ref").asText()), f.toString());
        assertTrue(f.get("feedback_type").asText().matches("wandb\\.runnable\\.(exactBugType|confidence)"), f.toString());
        assertTrue(f.get("runnable_ref").asText().startsWith("weave:///weft-test/eval/object/"), f.toString());
      }
    }
  }

  private static String op(JsonNode call) {
    String ref = call.get("op_name").asText();
    return ref.substring(ref.lastIndexOf('/') + 1, ref.lastIndexOf(':'));
  }
}
