package dev.weft.it;

import static dev.weft.it.AgentRun.exception;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unchanged app using the real Anthropic Java SDK, against a local stub of Anthropic: each
 * message (plain, async, streamed, with a tool call) is one call nested under the traced method
 * that made it, a stream's events assembled into one message, usage in OpenAI's spelling in its
 * summary and its parents', provider errors as its exception; the app sees what it sees without
 * the agent.
 */
class AnthropicIT {
  static final String APP = "dev.weft.it.apps.AnthropicApp";
  static final String KEY = "sk-ant-api03-WEFTSTUBKEY-9d8c7b6a5f4e3d2c";
  static final String MODEL = LlmStub.CLAUDE;
  static SdkAppRun app;
  static AgentRun.Result run;
  static LlmCallsOf llm;

  @BeforeAll
  static void runApp() throws Exception {
    app = new SdkAppRun(APP, "anthropic", KEY);
    run = app.run;
    llm = app.llm;
  }

  @AfterAll
  static void stopStub() {
    app.close();
  }

  @Test
  void theAppSeesWhatItSeesWithoutTheAgent() throws Exception {
    app.assertSameOutputWithoutTheAgent();
    assertTrue(run.stdout.contains("message: " + LlmStub.ANSWER + " [end_turn, 18 out]\n"), run.stdout);
  }

  @Test
  void aMessageIsOneCallWithTheRequestTheAnswerAndUsageInOneSpelling() {
    JsonNode call = llm.under("AnthropicApp.message");
    assertEquals("anthropic.Messages.create", call.get("op_name").asText());
    assertEquals("claude-sonnet-4-20250514", call.at("/inputs/model").asText(), call::toString);
    assertEquals("Why does StatsTest fail?", call.at("/inputs/messages/0/content").asText(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/content/0/text").asText(), call::toString);
    // 25 uncached + 12 read from the cache + 0 written: every input token, as OpenAI counts them.
    LlmCallsOf.assertUsage(call, MODEL, 1, 37, 18, 55);
    assertEquals(12, call.at("/summary/usage/" + MODEL + "/cached_tokens").asLong(), call::toString);
    assertEquals(0, call.at("/summary/usage/" + MODEL + "/cache_creation_tokens").asLong(-1), call::toString);
    LlmCallsOf.assertUsage(llm.root("AnthropicApp.message"), MODEL, 1, 37, 18, 55);
  }

  @Test
  void anAsyncMessageNestsUnderTheCallThatSentIt() {
    JsonNode call = llm.under("AnthropicApp.messageAsync");
    assertEquals(LlmStub.ANSWER, call.at("/output/content/0/text").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 37, 18, 55);
  }

  @Test
  void aStreamIsOneCallWithTheAssembledMessageAndItsFinalUsage() {
    JsonNode call = llm.under("AnthropicApp.messageStream");
    assertEquals("message", call.at("/output/type").asText(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/content/0/text").asText(), call::toString);
    assertEquals("end_turn", call.at("/output/stop_reason").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 37, 18, 55);
  }

  @Test
  void aStreamedToolCallHasItsInputPutTogether() {
    assertTrue(run.stdout.contains("toolStream: " + LlmStub.ANSWER + " -> run_tests"), run.stdout);
    JsonNode call = llm.under("AnthropicApp.toolStream");
    JsonNode tool = call.at("/output/content/1");
    assertEquals("tool_use", tool.path("type").asText(), call::toString);
    assertEquals("run_tests", tool.path("name").asText());
    assertEquals("Stats", tool.at("/input/unit").asText(), tool::toString);
    assertTrue(tool.at("/input/failing_only").asBoolean(), tool::toString);
    assertEquals("tool_use", call.at("/output/stop_reason").asText());
    assertEquals("run_tests", call.at("/inputs/tools/0/name").asText(), "the request's tools are inputs");
  }

  @Test
  void aRateLimitIsTheCallsExceptionAndTheAppGetsTheSdksOwn() throws Exception {
    assertTrue(run.stdout.contains("rateLimited: RateLimitException 429\n"), run.stdout);
    JsonNode call = llm.forModel("rate-limited");
    JsonNode e = exception(call);
    assertEquals("anthropic HTTP 429", e.get("type").asText(), e::toString);
    assertTrue(e.get("message").asText().contains("rate_limit_error"), e::toString);
  }

  @Test
  void aServerErrorIsTheCallsException() throws Exception {
    assertTrue(run.stdout.contains("serverError: InternalServerException 500\n"), run.stdout);
    assertEquals("anthropic HTTP 500", exception(llm.forModel("broken")).get("type").asText());
  }

  @Test
  void aStreamTheAppAbandonsStillEndsItsCallWithWhatWasRead() {
    assertTrue(run.stdout.contains("abandoned: Off\n"), run.stdout);
    JsonNode call = llm.forModel("claude-sonnet-4-long");
    assertTrue(AgentRun.duration(call).toSeconds() < 20, "ended when the app closed the stream");
    String text = call.at("/output/content/0/text").asText();
    assertTrue(text.startsWith("Off") && text.length() < 500, () -> "what the app read: " + call.get("output"));
    assertTrue(call.at("/output/stop_reason").isNull(), "no stop reason: it did not finish");
  }

  @Test
  void messagesOnAPoolsThreadsNestUnderTheirCallersAndUsageSumsUpTheTree() {
    JsonNode fanOut = llm.root("AnthropicApp.fanOut");
    List<JsonNode> messages = run.childrenOf(fanOut);
    assertEquals(2, messages.size(), messages::toString);
    for (JsonNode m : messages) {
      assertEquals(1, run.childrenOf(m).size());
      assertEquals("anthropic.Messages.create", run.childrenOf(m).get(0).get("op_name").asText());
    }
    LlmCallsOf.assertUsage(fanOut, MODEL, 2, 74, 36, 110);
  }

  @Test
  void eachMessageIsOneCallAndTheKeyIsNeverExported() {
    assertEquals(app.sent.size(), llm.all().size(), () -> "one call per request: " + run.opNames());
    assertEquals(9, llm.all().size());
    app.assertKeySentButNeverExported();
  }
}
