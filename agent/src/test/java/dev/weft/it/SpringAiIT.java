package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Spring AI 1.1 (its OpenAI model over its own HTTP clients, and its ChatClient), unchanged and
 * without Spring Boot, under the agent: a ChatModel's call and each subscription of its stream
 * are one LLM call with Spring AI's messages, reply and usage; a ChatClient request is a call
 * around the one model call it makes. Spring AI 2 in a Spring Boot fat jar: {@link SpringAiBootIT}.
 */
class SpringAiIT {
  static final String APP = "dev.weft.it.apps.SpringAiApp";
  static final String KEY = "sk-weft-test-spring-0123456789";
  static final String[] SCENARIOS = {"call", "stream", "client", "clientStream", "serverError"};

  static ChatCompletionsServer provider;
  static AgentRun.Result run;

  static AgentRun app() {
    return AgentRun.app().classpath(ChatCompletionsServer.appClasspath("ai"));
  }

  static String[] args() {
    // Spring AI 1.1 adds /v1/chat/completions to the server's root.
    return ChatCompletionsServer.appArgs(provider.baseUrl().replaceAll("/v1$", ""), KEY, SCENARIOS);
  }

  @BeforeAll
  static void runApp() throws Exception {
    provider = new ChatCompletionsServer();
    run = app().run(APP, args());
  }

  @AfterAll
  static void stopProvider() {
    if (provider != null) provider.close();
  }

  /** The one call under {@code parent}, which is of {@code op}. */
  static JsonNode onlyChild(JsonNode parent, String op) {
    List<JsonNode> children = run.childrenOf(parent);
    assertEquals(List.of(op), children.stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList()),
        () -> "under " + parent.get("op_name").asText() + ": " + children);
    return children.get(0);
  }

  @Test
  void theAppBehavesAsWithoutTheAgent() throws Exception {
    AgentRun.Result plain = app().withoutAgent().run(APP, args());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(plain.stdout, run.assertOk().stdout);
    assertTrue(plain.stdout.contains("client: Answer: Why does WordsTest fail?"), plain.stdout);
  }

  @Test
  void aChatModelCallIsOneLlmCallWithMessagesReplyAndUsage() {
    JsonNode diagnose = run.assertOk().one("SpringAiApp.diagnose");
    JsonNode llm = onlyChild(diagnose, "spring_ai.OpenAiChatModel.call");
    assertEquals("gpt-4o-mini", llm.at("/inputs/model").asText(), llm::toString);
    assertEquals(0.2, llm.at("/inputs/temperature").asDouble(), llm::toString);
    assertEquals("system", llm.at("/inputs/messages/0/role").asText(), llm::toString);
    ChatCompletionsServer.assertAnswered(llm, "Why does StatsTest fail?");
    assertEquals(ChatCompletionsServer.responseModel("gpt-4o-mini"), llm.at("/output/model").asText(), llm::toString);
    ChatCompletionsServer.assertUsage(llm, 1, 20);
    ChatCompletionsServer.assertUsage(diagnose, 1, 20);
  }

  @Test
  void aStreamIsOneLlmCallEndingWithTheStreamWithTheAssembledReply() {
    JsonNode stream = run.assertOk().one("SpringAiApp.streamDiagnosis");
    JsonNode llm = onlyChild(stream, "spring_ai.OpenAiChatModel.stream");
    ChatCompletionsServer.assertAnswered(llm, "Stream the diagnosis of MoneyTest.");
    ChatCompletionsServer.assertUsage(llm, 1, 10);
    AgentRun.assertLastsAtLeast(4 * ChatCompletionsServer.CHUNK_DELAY_MS, llm);
  }

  @Test
  void aChatClientCallHoldsItsOneModelCall() {
    JsonNode ask = run.assertOk().one("SpringAiApp.askClient");
    JsonNode client = onlyChild(ask, "spring_ai.ChatClient.call");
    ChatCompletionsServer.assertAnswered(onlyChild(client, "spring_ai.OpenAiChatModel.call"), "Why does WordsTest fail?");
    assertEquals("Why does WordsTest fail?", client.at("/inputs/messages/1/content").asText(), client::toString);
    assertEquals("Answer: Why does WordsTest fail?", client.get("output").asText(), client::toString);
    ChatCompletionsServer.assertUsage(client, 1, 20);
    ChatCompletionsServer.assertUsage(ask, 1, 20);
  }

  @Test
  void aChatClientStreamHoldsItsOneModelCallAndLastsAsLongAsTheStream() {
    JsonNode ask = run.assertOk().one("SpringAiApp.streamClient");
    JsonNode client = onlyChild(ask, "spring_ai.ChatClient.stream");
    ChatCompletionsServer.assertAnswered(onlyChild(client, "spring_ai.OpenAiChatModel.stream"),
        "Stream the diagnosis of WordsTest.");
    assertEquals("Answer: Stream the diagnosis of WordsTest.", client.get("output").asText(), "the reply, put together");
    ChatCompletionsServer.assertUsage(client, 1, 10);
    AgentRun.assertLastsAtLeast(4 * ChatCompletionsServer.CHUNK_DELAY_MS, client);
  }

  @Test
  void aProviderRefusalIsTheCallsExceptionAndTheAppSeesItsOwn() throws Exception {
    JsonNode failing = run.assertOk().one("SpringAiApp.failing");
    JsonNode llm = onlyChild(failing, "spring_ai.OpenAiChatModel.call");
    JsonNode exception = AgentRun.exception(llm);
    String type = exception.path("type").asText();
    assertTrue(type.endsWith("." + failing.get("output").asText()), () -> "the app's own exception: " + exception);
    assertTrue(exception.path("message").asText().contains("500"), exception::toString);
    assertEquals("fail-500", llm.at("/inputs/model").asText(), llm::toString);
  }

  @Test
  void theApiKeyIsNeverExported() {
    assertTrue(provider.authorizations().contains("Bearer " + KEY), "the app sent its key");
    for (JsonNode call : run.assertOk().calls) assertFalse(call.toString().contains(KEY), call::toString);
  }
}
