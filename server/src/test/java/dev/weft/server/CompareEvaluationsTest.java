package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Two evaluations compared as runs are, by their summaries: the CI gate over evaluations. */
class CompareEvaluationsTest {
  static JsonNode row(JsonNode result, String metric) {
    for (JsonNode r : result.get("rows")) if (r.get("metric").asText().equals(metric)) return r;
    throw new AssertionError("no " + metric + " in " + result);
  }

  @Test
  void evaluationsCompareByTheirSummariesWithTheSameGates() throws Exception {
    try (ServerFixture s = ServerFixture.start()) {
      EvaluationSeed.evaluations(s);
      String p = EvaluationSeed.PROJECT;
      JsonNode strict = s.ok("/runs/compare", obj("{'project_id':'" + p + "','baseline':'eval:" + EvaluationSeed.JAVA_ROOT
          + "','candidate':'eval:" + EvaluationSeed.TS_ROOT + "'}"));
      assertEquals("triage-eval", strict.at("/baseline/name").asText(), "named by its Evaluation object");
      assertEquals("eval:" + EvaluationSeed.JAVA_ROOT, strict.at("/baseline/id").asText());
      JsonNode exact = row(strict, "exactBugType.true_fraction");
      assertEquals("higher", exact.get("better").asText());
      assertTrue(exact.get("candidate").asDouble() < exact.get("baseline").asDouble(), strict.toString());
      assertEquals("regressed", exact.get("verdict").asText());
      assertEquals("lower", row(strict, "model_latency.mean").get("better").asText(), "latency: lower is better");
      assertTrue(strict.get("regressed").asBoolean());

      JsonNode lenient = s.ok("/runs/compare", obj("{'project_id':'" + p + "','baseline':'eval:" + EvaluationSeed.JAVA_ROOT
          + "','candidate':'eval:" + EvaluationSeed.TS_ROOT + "','metrics':['exactBugType.true_fraction:1']}"));
      assertFalse(lenient.get("regressed").asBoolean(), lenient.toString());

      JsonNode latest = s.ok("/runs/compare", obj("{'project_id':'" + p + "','baseline':'eval:" + EvaluationSeed.JAVA_ROOT
          + "','candidate':'eval:latest'}"));
      assertFalse(latest.at("/candidate/id").asText().equals("eval:" + EvaluationSeed.JAVA_ROOT), "latest is another one");

      assertEquals(422, s.post("/runs/compare", obj("{'project_id':'" + p + "','baseline':'eval:"
          + EvaluationSeed.JAVA_ROOT + "','candidate':'latest'}").toString()).status(), "an evaluation against a run");
      assertEquals(404, s.post("/runs/compare", obj("{'project_id':'" + p + "','baseline':'eval:nope','candidate':'eval:latest'}")
          .toString()).status());
    }
  }
}
