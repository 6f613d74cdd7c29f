package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LangChain4j, unchanged, under the agent: each model call of a ChatModel or StreamingChatModel
 * is one LLM call nested where the app made it, with LangChain4j's messages, reply and usage; an
 * AI service's method is a call with its model calls and tools under it; the provider's refusal
 * is the call's exception. The app runs on the oldest LangChain4j the integration supports (the
 * one it compiles against) and on the newest served, against a stub of OpenAI on loopback.
 */
class LangChain4jIT {
  static final String APP = "dev.weft.it.apps.LangChain4jApp";
  static final String KEY = "sk-weft-test-0123456789abcdef";
  static final String[] SCENARIOS = {"chat", "stream", "service", "serverError", "rateLimited"};
  static final String OLDEST = "langchain4j";
  static final String NEWEST = "langchain4j-latest";

  static ChatCompletionsServer provider;
  static final Map<String, AgentRun.Result> runs = new TreeMap<>();

  static AgentRun app(String version) {
    // it-jars/llm: the OpenAI SDK and OkHttp 4, for langchain4j-open-ai-official (the openai integration's).
    return AgentRun.app().classpath(ChatCompletionsServer.appClasspath(version, "ai", "llm"));
  }

  static String[] args(String... scenarios) {
    return ChatCompletionsServer.appArgs(provider.baseUrl(), KEY, scenarios);
  }

  @BeforeAll
  static void runApps() throws Exception {
    provider = new ChatCompletionsServer();
    for (String version : List.of(OLDEST, NEWEST)) {
      assertTrue(Files.isDirectory(AgentRun.itJar("x").resolveSibling(version)), "it-jars/" + version);
      runs.put(version, app(version).run(APP, args(SCENARIOS)));
    }
  }

  @AfterAll
  static void stopProvider() {
    if (provider != null) provider.close();
  }

  static AgentRun.Result run(String version) {
    return runs.get(version).assertOk();
  }

  /** The one call of {@code op} under {@code parent}. */
  static JsonNode childNamed(AgentRun.Result run, JsonNode parent, String op) {
    List<JsonNode> found = run.childrenOf(parent).stream().filter(c -> c.get("op_name").asText().equals(op))
        .collect(Collectors.toList());
    assertEquals(1, found.size(), () -> op + " under " + parent.get("op_name").asText() + ": " + run.opNames());
    return found.get(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void theAppBehavesAsWithoutTheAgent(String version) throws Exception {
    AgentRun.Result plain = app(version).withoutAgent().run(APP, args(SCENARIOS));
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(plain.stdout, run(version).stdout);
    assertTrue(plain.stdout.contains("serverError: InternalServerException"), plain.stdout);
    assertTrue(plain.stdout.contains("rateLimited: RateLimitException"), plain.stdout);
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void aChatModelCallIsOneLlmCallWithMessagesReplyAndUsage(String version) {
    AgentRun.Result run = run(version);
    JsonNode diagnose = run.one("LangChain4jApp.diagnose");
    JsonNode llm = childNamed(run, diagnose, "langchain4j.OpenAiChatModel.chat");
    JsonNode inputs = llm.get("inputs");
    assertEquals("gpt-4o-mini", inputs.path("model").asText(), llm::toString);
    assertEquals(0.2, inputs.path("temperature").asDouble(), llm::toString);
    assertEquals(200, inputs.path("max_tokens").asInt(), llm::toString);
    assertEquals("system", inputs.at("/messages/0/role").asText(), llm::toString);
    assertEquals("You diagnose failing tests.", inputs.at("/messages/0/content").asText(), llm::toString);
    ChatCompletionsServer.assertAnswered(llm, "Why does StatsTest fail?");
    assertEquals("stop", llm.at("/output/choices/0/finish_reason").asText(), llm::toString);
    ChatCompletionsServer.assertUsage(llm, 1, 20);
    ChatCompletionsServer.assertUsage(diagnose, 1, 20); // summed into the traced parent
    assertTrue(llm.get("exception").isNull(), llm::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void aStreamedCallEndsWhenTheHandlerHearsTheEndWithTheAssembledReply(String version) {
    AgentRun.Result run = run(version);
    JsonNode stream = run.one("LangChain4jApp.streamDiagnosis");
    JsonNode llm = childNamed(run, stream, "langchain4j.OpenAiStreamingChatModel.chat");
    ChatCompletionsServer.assertAnswered(llm, "Stream the diagnosis of MoneyTest.");
    assertTrue(llm.at("/inputs/stream").asBoolean(), llm::toString);
    ChatCompletionsServer.assertUsage(llm, 1, 10);
    // doChat returns at once; the call lasts until the last chunk, which the stub sends after four delays.
    AgentRun.assertLastsAtLeast(4 * ChatCompletionsServer.CHUNK_DELAY_MS, llm);
    String answer = "Answer: Stream the diagnosis of MoneyTest.";
    assertTrue(run.stdout.contains("stream: " + answer + " | " + answer), "the handler heard it all: " + run.stdout);
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void anAiServiceCallHoldsItsModelCallsAndToolCallInOrder(String version) {
    AgentRun.Result run = run(version);
    JsonNode ask = run.one("LangChain4jApp.askAssistant");
    JsonNode service = childNamed(run, ask, "Assistant.chat");
    assertEquals("What is the weather in Paris?", service.at("/inputs/message").asText(), service::toString);
    assertEquals("Answer: sunny in Paris, 21 C", service.get("output").asText(), service::toString);

    List<JsonNode> steps = run.childrenOf(service);
    steps.sort(Comparator.comparing(c -> c.get("started_at").asText()));
    assertEquals(List.of("langchain4j.OpenAiChatModel.chat", "langchain4j.tool.forecast", "langchain4j.OpenAiChatModel.chat"),
        steps.stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList()), () -> "under the service: " + steps);

    JsonNode first = steps.get(0);
    assertEquals("forecast", first.at("/inputs/tools/0/function/name").asText(), first::toString);
    assertEquals("forecast", first.at("/output/choices/0/message/tool_calls/0/function/name").asText(), first::toString);
    assertEquals("tool_calls", first.at("/output/choices/0/finish_reason").asText(), first::toString);

    JsonNode tool = steps.get(1);
    assertEquals("Paris", tool.at("/inputs/arguments/city").asText(), tool::toString);
    assertEquals("sunny in Paris, 21 C", tool.get("output").asText(), tool::toString);

    JsonNode second = steps.get(2);
    JsonNode messages = second.at("/inputs/messages");
    JsonNode result = messages.get(messages.size() - 1);
    assertEquals("tool", result.path("role").asText(), second::toString);
    assertEquals("call_weft_1", result.path("tool_call_id").asText(), second::toString);
    assertEquals("sunny in Paris, 21 C", result.path("content").asText(), second::toString);
    assertEquals("forecast", messages.get(messages.size() - 2).at("/tool_calls/0/function/name").asText(), second::toString);

    // Two model calls: the service and its caller carry their summed usage (10 + 30 prompt tokens).
    ChatCompletionsServer.assertUsage(service, 2, 40);
    ChatCompletionsServer.assertUsage(ask, 2, 40);
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void aProviderRefusalIsTheCallsExceptionAndTheAppSeesItsOwn(String version) throws Exception {
    AgentRun.Result run = run(version);
    Map<String, String> expected = Map.of("fail-500", "InternalServerException", "rate-limited", "RateLimitException");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      List<JsonNode> failing = run.where(c -> c.get("op_name").asText().equals("LangChain4jApp.failing")
          && c.at("/inputs/modelName").asText().equals(e.getKey()));
      assertEquals(1, failing.size(), () -> "failing for " + e.getKey() + ": " + run.opNames());
      JsonNode llm = childNamed(run, failing.get(0), "langchain4j.OpenAiChatModel.chat");
      JsonNode exception = AgentRun.exception(llm);
      assertTrue(exception.path("type").asText().endsWith("." + e.getValue()), exception::toString);
      assertTrue(llm.get("output").isNull(), llm::toString);
      assertEquals(e.getKey(), llm.at("/inputs/model").asText(), llm::toString);
      assertEquals(e.getValue(), failing.get(0).get("output").asText(), "the app caught its own exception");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {OLDEST, NEWEST})
  void theApiKeyIsNeverExported(String version) throws Exception {
    AgentRun.Result run = run(version);
    assertTrue(provider.authorizations().contains("Bearer " + KEY),
        "the app sent its key");
    for (JsonNode call : run.calls) assertFalse(call.toString().contains(KEY), call::toString);
  }

  @Test
  void switchedOffNothingOfLangChain4jsIsTraced() throws Exception {
    AgentRun.Result off = app(NEWEST).agentArg("llm.off=langchain4j").run(APP, args("chat", "service")).assertOk();
    assertEquals(List.of("LangChain4jApp.askAssistant", "LangChain4jApp.diagnose"),
        off.opNames().stream().sorted().collect(Collectors.toList()), "only the app's own traced methods");
    assertTrue(off.one("LangChain4jApp.diagnose").at("/summary/usage").isMissingNode());
  }

  /**
   * langchain4j-open-ai-official calls the model through the OpenAI Java SDK: one model call is
   * one LLM call, the SDK's exchange, with the provider's own wire; LangChain4j's model call is
   * the one only while the openai integration is off.
   */
  @Test
  void overTheOpenAiSdkOneModelCallIsOneLlmCall() throws Exception {
    AgentRun.Result run = app(OLDEST).run(APP, args("official")).assertOk();
    assertEquals("official: Answer: Why does WordsTest fail?\n", run.stdout);
    JsonNode official = run.one("LangChain4jApp.official");
    List<JsonNode> llm = run.childrenOf(official);
    assertEquals(1, llm.size(), () -> "one call under LangChain4jApp.official: " + run.opNames());
    assertEquals("openai.chat.completions.create", llm.get(0).get("op_name").asText());
    ChatCompletionsServer.assertUsage(official, 1, 10);

    // With the OpenAI SDK's integration off, LangChain4j's model call is the one.
    AgentRun.Result frameOnly = app(OLDEST).agentArg("llm.off=openai").run(APP, args("official")).assertOk();
    JsonNode parent = frameOnly.one("LangChain4jApp.official");
    List<JsonNode> calls = frameOnly.childrenOf(parent);
    assertEquals(List.of("langchain4j.OpenAiOfficialChatModel.chat"),
        calls.stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList()));
    ChatCompletionsServer.assertUsage(parent, 1, 10);
  }
}
