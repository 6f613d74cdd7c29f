package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --eval} under the agent: Triage as one Weave Evaluation, a prediction per unit with the
 * traced diagnosis nested in it, each scored, then summarised, with no tracing code in the demo.
 */
class EvalModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void triageIsEvaluatedAsOneWeaveEvaluationWithItsTracedWorkNested() throws Exception {
    Path repo = Path.of(System.getProperty("weft.repo", "..")).toRealPath();
    Path dir = Files.createTempDirectory("patchpilot-eval");
    Path calls = dir.resolve("calls.jsonl");
    Process p = new ProcessBuilder("java",
        "-javaagent:" + repo.resolve("agent/target/weft-agent.jar") + "=exporters=jsonl,jsonl.path=" + calls,
        "-jar", repo.resolve("demo/target/weft-demo.jar").toString(), "--eval")
        .directory(dir.toFile()).redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile()).start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the evaluation ended");
    String out = Files.readString(dir.resolve("out"));
    String err = Files.readString(dir.resolve("err"));
    assertEquals(0, p.exitValue(), () -> out + err);
    assertTrue(out.startsWith("triage-eval (rules): {first_is_seeded={true_count="), out);

    List<JsonNode> all = new ArrayList<>();
    for (String line : Files.readAllLines(calls)) if (!line.isBlank()) all.add(JSON.readTree(line));
    Map<String, JsonNode> byId = new HashMap<>();
    for (JsonNode c : all) byId.put(c.get("id").asText(), c);
    List<JsonNode> roots = all.stream().filter(c -> c.get("parent_id").isNull()).toList();
    assertEquals(1, roots.size(), "one evaluation, nothing else at the top: " + roots);
    JsonNode evaluate = roots.get(0);
    assertTrue(evaluate.get("op_name").asText().endsWith("Evaluation.evaluate"), evaluate::toString);
    assertTrue(out.contains("\nevaluation: " + evaluate.get("id").asText() + "\n"), "its id, for a link: " + out);
    List<JsonNode> rows = all.stream().filter(c -> c.get("op_name").asText().endsWith("Evaluation.predict_and_score")).toList();
    assertEquals(9, rows.size(), "a prediction per unit");
    for (JsonNode row : rows) assertEquals(evaluate.get("id"), row.get("parent_id"));
    List<JsonNode> diagnoses = all.stream().filter(c -> c.get("op_name").asText().equals("TriageAgent.diagnose")).toList();
    assertEquals(9, diagnoses.size());
    for (JsonNode d : diagnoses) {
      JsonNode predict = byId.get(d.get("parent_id").asText());
      assertEquals(rows.stream().filter(r -> r.get("id").equals(predict.get("parent_id"))).count(), 1L,
          () -> "the diagnosis runs inside a prediction: " + predict);
    }
    assertEquals(1, all.stream().filter(c -> c.get("op_name").asText().endsWith("Evaluation.summarize")).count());
    assertTrue(evaluate.at("/output/first_is_seeded/true_fraction").isNumber(), evaluate::toString);
  }
}
