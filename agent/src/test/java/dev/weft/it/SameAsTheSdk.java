package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Field by field, what Weft wrote for an evaluation against what the Weave TypeScript SDK wrote
 * for the same data, each in its own project of one server. Used by EvaluationIT (the Java API)
 * and the weft-junit module's JUnitEvaluationIT (the JUnit extension).
 */
public final class SameAsTheSdk {
  private SameAsTheSdk() {}

  /** These objects (Evaluation, Model, Scorer, …) are the SDK's to the byte: the same value, so the same digest. */
  public static void objects(Evaluations ts, Evaluations java, List<String> objectIds) {
    for (String id : objectIds) {
      JsonNode t = ts.objects.get(id), j = java.objects.get(id);
      assertNotNull(t, id + " from the SDK");
      assertNotNull(j, id + " from Java");
      assertEquals(t.get("val"), j.get("val"), id);
      assertEquals(t.get("digest"), j.get("digest"), id);
      assertEquals(t.get("base_object_class"), j.get("base_object_class"), id);
    }
  }

  /**
   * The logged form, as the SDK's EvaluationLogger writes it: the same call tree, inputs,
   * outputs, summary and score feedback. Where Java's model call failed (a JUnit test whose
   * assertion failed) it holds the error, and the prediction the output the SDK's call holds.
   */
  public static void loggedEvaluation(Evaluations ts, Evaluations java, String evaluation, List<String> scorers)
      throws Exception {
    JsonNode tsRoot = ts.evaluate(evaluation), javaRoot = java.evaluate(evaluation);
    assertEquals(same(ts, tsRoot.get("inputs"), java), same(java, javaRoot.get("inputs"), java), "evaluate inputs");
    JsonNode tsSummary = ts.one(tsRoot, "Evaluation.summarize"), javaSummary = java.one(javaRoot, "Evaluation.summarize");
    assertEquals(same(ts, tsSummary.get("inputs"), java), same(java, javaSummary.get("inputs"), java));
    // The SDK's logger summarises the scores; Java adds model_latency, as the Python SDK and the SDK's Evaluation do.
    JsonNode javaScores = ((ObjectNode) javaRoot.get("output").deepCopy()).without("model_latency");
    assertEquals(same(ts, tsRoot.get("output"), java), same(java, javaScores, java), "summary");
    assertEquals(javaRoot.get("output"), javaSummary.get("output"));
    assertEquals(tsRoot.get("output"), tsSummary.get("output"));

    Map<String, JsonNode> tsPreds = byExample(ts, tsRoot), javaPreds = byExample(java, javaRoot);
    assertEquals(tsPreds.keySet(), javaPreds.keySet());
    for (String example : tsPreds.keySet()) {
      JsonNode t = tsPreds.get(example), j = javaPreds.get(example);
      assertEquals(same(ts, t.get("inputs"), java), same(java, j.get("inputs"), java), "predict_and_score inputs");
      assertEquals(same(ts, t.at("/output/output"), java), same(java, j.at("/output/output"), java), example);
      assertEquals(same(ts, t.at("/output/scores"), java), same(java, j.at("/output/scores"), java), example);
      assertTrue(j.at("/output/model_latency").isNumber(), j.toString());
      JsonNode tModel = ts.one(t, "Model.predict"), jModel = java.one(j, "Model.predict");
      if (jModel.get("exception").isNull()) {
        assertEquals(tModel.get("output"), jModel.get("output"), example);
      } else {
        assertTrue(jModel.get("output").isNull(), jModel.toString());
        assertEquals(tModel.get("output"), j.at("/output/output"), example);
      }
      // The SDK names the row arg0; Java passes its columns by name, as the Python SDK does.
      assertEquals(tModel.at("/inputs/arg0"), ((ObjectNode) jModel.get("inputs").deepCopy()).without("self"));
      for (String scorer : scorers) {
        JsonNode tScore = ts.one(t, scorer + ".score"), jScore = java.one(j, scorer + ".score");
        assertEquals(same(ts, tScore.get("inputs"), java), same(java, jScore.get("inputs"), java), scorer);
        assertEquals(same(ts, tScore.get("output"), java), same(java, jScore.get("output"), java), scorer);
      }
      // Each score is also feedback on the model's call, pointing at the scorer's call and object.
      List<JsonNode> tFeedback = ts.feedbackOn(List.of(tModel)), jFeedback = java.feedbackOn(List.of(jModel));
      assertEquals(scorers.size(), jFeedback.size(), example);
      assertEquals(feedbackShapes(ts, tFeedback, java), feedbackShapes(java, jFeedback, java));
    }
  }

  /** A value of {@code e}'s project as it would read in {@code as}'s, numbers as doubles. */
  public static JsonNode same(Evaluations e, JsonNode v, Evaluations as) throws Exception {
    return Evaluations.comparable(v, e.project, as.project);
  }

  private static Map<String, JsonNode> byExample(Evaluations e, JsonNode root) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    for (JsonNode p : e.children(root, "Evaluation.predict_and_score")) {
      out.put(new TreeMap<>(AgentRun.JSON.convertValue(p.at("/inputs/example"), Map.class)).toString(), p);
    }
    return out;
  }

  /** Feedback as type, payload, runnable ref, and the op and output of the call it names as the scorer's. */
  private static List<String> feedbackShapes(Evaluations e, List<JsonNode> feedback, Evaluations as) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode f : feedback) {
      JsonNode scoreCall = e.call(f.get("call_ref").asText());
      assertEquals(same(e, f.at("/payload/output"), as), same(e, scoreCall.get("output"), as));
      out.add(f.get("feedback_type").asText() + " " + same(e, f.get("payload"), as) + " "
          + same(e, f.get("runnable_ref"), as) + " " + Evaluations.op(scoreCall));
    }
    out.sort(null);
    return out;
  }
}
