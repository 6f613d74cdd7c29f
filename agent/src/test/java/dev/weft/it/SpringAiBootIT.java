package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot 4 app with Spring AI 2 (it-apps/springai), run from its fat jar under the agent:
 * each request to its endpoints is its traced controller call, holding the ChatClient's call,
 * holding exactly one LLM call with usage. Spring AI 2's OpenAI model talks through the OpenAI
 * Java SDK, so that one call is the SDK's exchange ({@code openai.chat.completions.create}); with
 * the openai integration off, it is Spring AI's model call. Never both.
 */
class SpringAiBootIT {
  static final String KEY = "sk-weft-test-boot-0123456789";
  static final List<String> QUESTIONS = List.of("Why does StatsTest fail?", "Why does MoneyTest fail?");

  static ChatCompletionsServer provider;
  static AgentRun.Result run;
  static final Map<String, String> answers = new TreeMap<>();

  static Path jar() {
    return Path.of(System.getProperty("weft.springai.jar", "../it-apps/springai/target/weft-it-springai.jar")).toAbsolutePath();
  }

  @BeforeAll
  static void serveUnderTheAgent() throws Exception {
    assertTrue(Files.exists(jar()), "build the app first (mvn package -pl it-apps/springai): " + jar());
    provider = new ChatCompletionsServer();
    run = serve(AgentRun.app(), answers);
  }

  @AfterAll
  static void stopProvider() {
    if (provider != null) provider.close();
  }

  /** Starts the app, asks each question once in one reply and once streamed, stops it. */
  static AgentRun.Result serve(AgentRun app, Map<String, String> answers) throws Exception {
    AgentRun.Running running = app.jar(jar()).start("--server.port=0", "--spring.ai.openai.base-url=" + provider.baseUrl(),
        "--spring.ai.openai.api-key=" + KEY);
    try {
      String base = "http://127.0.0.1:" + running.awaitLine("listening on ");
      HttpClient http = HttpClient.newHttpClient();
      for (String q : QUESTIONS) {
        for (String path : List.of("/ask", "/stream")) {
          HttpRequest get = HttpRequest.newBuilder(URI.create(base + path + "?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
              .timeout(Duration.ofSeconds(30)).build();
          HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
          assertEquals(200, r.statusCode(), () -> path + ": " + r.body());
          answers.put(path + " " + q, r.body());
        }
      }
    } catch (Exception | AssertionError e) {
      running.stop();
      throw e;
    }
    return running.stop();
  }

  /** The controller's call of {@code op} for question {@code q}. */
  static JsonNode controller(AgentRun.Result run, String op, String q) {
    List<JsonNode> found = run.where(c -> c.get("op_name").asText().equals(op) && c.at("/inputs/q").asText().equals(q));
    assertEquals(1, found.size(), () -> op + " for " + q + " in " + run.opNames());
    return found.get(0);
  }

  @Test
  void theAppAnswersAsWithoutTheAgent() throws Exception {
    Map<String, String> plain = new TreeMap<>();
    serve(AgentRun.app().withoutAgent(), plain);
    for (String q : QUESTIONS) assertEquals("Answer: " + q, plain.get("/ask " + q));
    assertEquals(plain, answers, "the same answers under the agent");
    assertFalse(run.stderr.contains("internal failure"), () -> "agent reported a failure:\n" + run.stderr);
  }

  @Test
  void eachRequestIsOneLlmCallUnderTheChatClientUnderTheController() {
    assertOneLlmCallEach(run, Map.of("ask", "openai.chat.completions.create", "stream", "openai.chat.completions.create"));
  }

  @Test
  void withTheOpenAiSdkUntracedSpringAisModelCallIsTheOne() throws Exception {
    AgentRun.Result frames = serve(AgentRun.app().agentArg("llm.off=openai"), new TreeMap<>());
    assertOneLlmCallEach(frames, Map.of("ask", "spring_ai.OpenAiChatModel.call", "stream", "spring_ai.OpenAiChatModel.stream"));
    JsonNode call = frames.where(c -> c.get("op_name").asText().equals("spring_ai.OpenAiChatModel.call")).get(0);
    assertEquals("gpt-4o-mini", call.at("/inputs/model").asText(), call::toString);
    assertEquals("assistant", call.at("/output/choices/0/message/role").asText(), call::toString);
  }

  /**
   * For each question and endpoint: the controller's call holds one ChatClient call, which holds
   * one LLM call, of the op {@code llmOps} names for the endpoint; each has the reply's usage.
   */
  static void assertOneLlmCallEach(AgentRun.Result run, Map<String, String> llmOps) {
    for (String q : QUESTIONS) {
      for (String method : List.of("ask", "stream")) {
        JsonNode controller = controller(run, "AskController." + method, q);
        String clientOp = method.equals("ask") ? "spring_ai.ChatClient.call" : "spring_ai.ChatClient.stream";
        List<JsonNode> clients = run.childrenOf(controller);
        assertEquals(List.of(clientOp), clients.stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList()),
            () -> "under " + controller.get("op_name").asText() + ": " + clients);
        JsonNode client = clients.get(0);
        List<JsonNode> llm = run.childrenOf(client);
        assertEquals(1, llm.size(), () -> "one LLM call under the ChatClient: " + llm);
        JsonNode call = llm.get(0);
        assertEquals(llmOps.get(method), call.get("op_name").asText(), call::toString);
        assertTrue(run.childrenOf(call).isEmpty(), () -> "nothing under the LLM call: " + call);
        assertEquals("system", call.at("/inputs/messages/0/role").asText(), () -> "the ChatClient's system message: " + call);
        ChatCompletionsServer.assertAnswered(call, q);
        assertEquals("Answer: " + q, client.get("output").asText(), client::toString);
        for (JsonNode c : List.of(call, client, controller)) ChatCompletionsServer.assertUsage(c, 1, 20);
      }
    }
  }

  @Test
  void theApiKeyIsNeverExported() {
    assertTrue(provider.authorizations().contains("Bearer " + KEY), "the app sent its key");
    assertFalse(run.calls.isEmpty());
    for (JsonNode call : run.calls) assertFalse(call.toString().contains(KEY), call::toString);
  }
}
