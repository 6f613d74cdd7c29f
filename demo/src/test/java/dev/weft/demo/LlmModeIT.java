package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code --llm} end to end, with no network: the demo jar under the agent asks a local stub of
 * OpenAI through the OpenAI SDK, with no tracing code of its own; each request is a call nested
 * under the agent that asked (Triage's diagnose, the Fixer's generatePatch), its tokens summed up
 * to the run's root, and an answer the demo cannot read falls back to the rules, logged. With
 * {@code --eval}, the model-backed triage is evaluated: a model call inside each prediction.
 */
class LlmModeIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "sk-proj-PATCHPILOTSTUB0c4e2a9f7b31";
  private static final String MODEL = "gpt-4o-mini-2024-07-18";
  private static final Map<String, String> PARENTS = Map.of("TriageAgent.diagnose", "triage", "FixerAgent.generatePatch", "fixer");

  private final List<String> credentials = new CopyOnWriteArrayList<>();

  /** Triage gets suspects (for Money, prose it cannot read); the Fixer an edit of line 1 that verifies as broken. */
  private String answer(JsonNode request) {
    String system = request.at("/messages/0/content").asText();
    String user = request.at("/messages/1/content").asText();
    if (system.contains("triage agent")) {
      return user.startsWith("Unit: Money\n") ? "The bug is probably an off-by-one."
          : "```json\n{\"suspects\": [\"off_by_one\", \"boundary\"]}\n```";
    }
    return "{\"line\": 1, \"replacement\": \"// PatchPilot looked here\"}";
  }

  private HttpServer stub() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", x -> {
      try (x) {
        credentials.add(String.valueOf(x.getRequestHeaders().getFirst("Authorization")));
        JsonNode request = JSON.readTree(x.getRequestBody().readAllBytes());
        String body = "{\"id\":\"chatcmpl-PatchPilot\",\"object\":\"chat.completion\",\"created\":1764489600,\"model\":\"" + MODEL
            + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JSON.writeValueAsString(answer(request))
            + ",\"refusal\":null},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":120,\"completion_tokens\":20,\"total_tokens\":140},\"system_fingerprint\":\"fp_06737a9306\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, bytes.length);
        x.getResponseBody().write(bytes);
      }
    });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return server;
  }

  @Test
  void theAgentsAskTheModelAndEachRequestIsACallUnderTheAgentThatAskedWithItsTokensSummed() throws Exception {
    Path dir = Files.createTempDirectory("patchpilot-llm");
    Path calls = dir.resolve("calls.jsonl");
    HttpServer server = stub();
    try {
      String[] ran = runDemo(server, dir, "--fresh-cache", "--cache", dir.resolve("cache.tsv").toString(), "--max-iterations", "4");
      String out = ran[0], err = ran[1];
      assertTrue(out.startsWith("PatchPilot: 9 of 9 classes had failing tests"), out);
      assertTrue(err.contains("patchpilot: triage of Money: the model's answer names no known bug kind; going by the rules"), err);
      assertTrue(err.contains("the model's answer is no new edit of the source; going by the rules"), err);
      assertFalse(credentials.isEmpty());
      assertTrue(credentials.stream().allMatch(c -> c.equals("Bearer " + KEY)), "the key went to the model");

      List<JsonNode> all = new ArrayList<>();
      for (String line : Files.readAllLines(calls)) if (!line.isBlank()) all.add(JSON.readTree(line));
      Map<String, JsonNode> byId = new HashMap<>();
      for (JsonNode c : all) byId.put(c.get("id").asText(), c);
      List<JsonNode> llm = all.stream().filter(c -> c.get("op_name").asText().equals("openai.chat.completions.create")).toList();
      assertEquals(credentials.size(), llm.size(), "one call per request");
      Map<String, Integer> asked = new HashMap<>();
      for (JsonNode c : llm) {
        String parent = byId.get(c.get("parent_id").asText()).get("op_name").asText();
        assertTrue(PARENTS.containsKey(parent), () -> "nested under the agent that asked: " + parent);
        assertTrue(c.at("/inputs/messages/0/content").asText().contains(PARENTS.get(parent) + " agent"), c::toString);
        assertEquals(140, c.at("/summary/usage/" + MODEL + "/total_tokens").asLong(), c::toString);
        asked.merge(parent, 1, Integer::sum);
      }
      long diagnoses = all.stream().filter(c -> c.get("op_name").asText().equals("TriageAgent.diagnose")).count();
      assertEquals(diagnoses, (long) asked.get("TriageAgent.diagnose"), "every diagnosis asked the model once");
      assertTrue(asked.get("FixerAgent.generatePatch") > 0, asked::toString);
      assertFalse(Files.readString(calls).contains(KEY), "the key is never exported");

      JsonNode root = all.stream().filter(c -> c.get("op_name").asText().equals("Orchestrator.run")).findFirst().orElseThrow();
      JsonNode usage = root.at("/summary/usage/" + MODEL);
      assertEquals(llm.size(), usage.path("requests").asLong(), root::toString);
      assertEquals(140L * llm.size(), usage.path("total_tokens").asLong(), root::toString);
      assertEquals(120L * llm.size(), usage.path("prompt_tokens").asLong(), root::toString);
    } finally {
      server.stop(0);
    }
  }

  @Test
  void evaluatingTheModelsTriageIsOneEvaluationWithTheModelAskedInEachPrediction() throws Exception {
    Path dir = Files.createTempDirectory("patchpilot-llm-eval");
    HttpServer server = stub();
    try {
      String[] ran = runDemo(server, dir, "--eval");
      assertTrue(ran[0].startsWith("triage-eval (gpt-4o-mini): {first_is_seeded={true_count="), ran[0]);
      assertTrue(ran[1].contains("patchpilot: triage of Money: the model's answer names no known bug kind; going by the rules"), ran[1]);
      List<JsonNode> all = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("calls.jsonl"))) if (!line.isBlank()) all.add(JSON.readTree(line));
      Map<String, JsonNode> byId = new HashMap<>();
      for (JsonNode c : all) byId.put(c.get("id").asText(), c);
      List<JsonNode> roots = all.stream().filter(c -> c.get("parent_id").isNull()).toList();
      assertEquals(1, roots.size(), () -> "one evaluation: " + roots);
      JsonNode evaluate = roots.get(0);
      assertTrue(evaluate.get("op_name").asText().endsWith("Evaluation.evaluate"), evaluate::toString);
      assertTrue(evaluate.at("/inputs/model").asText().contains("triage-gpt-4o-mini"), evaluate::toString);
      List<JsonNode> llm = all.stream().filter(c -> c.get("op_name").asText().equals("openai.chat.completions.create")).toList();
      assertEquals(9, llm.size(), "the model asked once per seeded bug");
      List<String> predictions = new ArrayList<>();
      for (JsonNode c : llm) {
        JsonNode at = c;
        while (!at.get("op_name").asText().endsWith("Evaluation.predict_and_score")) at = byId.get(at.get("parent_id").asText());
        assertEquals(evaluate.get("id"), at.get("parent_id"));
        predictions.add(at.get("id").asText());
      }
      assertEquals(9, predictions.stream().distinct().count(), "one model call in each prediction");
      assertEquals(140L * 9, evaluate.at("/summary/usage/" + MODEL + "/total_tokens").asLong(), "tokens summed up to the evaluation");
    } finally {
      server.stop(0);
    }
  }

  /** Runs the demo jar with {@code --llm --model gpt-4o-mini} and {@code args} under the agent (JSONL to dir/calls.jsonl), asking {@code server}; its stdout and stderr. */
  private static String[] runDemo(HttpServer server, Path dir, String... args) throws Exception {
    Path repo = Path.of(System.getProperty("weft.repo", "..")).toRealPath();
    List<String> cmd = new ArrayList<>(List.of("java",
        "-javaagent:" + repo.resolve("agent/target/weft-agent.jar") + "=exporters=jsonl,jsonl.path=" + dir.resolve("calls.jsonl"),
        "-jar", repo.resolve("demo/target/weft-demo.jar").toString(), "--llm", "--model", "gpt-4o-mini"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
    pb.environment().put("OPENAI_BASE_URL", "http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
    pb.environment().put("OPENAI_API_KEY", KEY);
    Process p = pb.start();
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the run ended");
    String out = Files.readString(dir.resolve("out"));
    String err = Files.readString(dir.resolve("err"));
    assertEquals(0, p.exitValue(), () -> out + err);
    return new String[] {out, err};
  }
}
