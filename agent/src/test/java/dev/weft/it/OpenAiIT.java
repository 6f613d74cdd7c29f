package dev.weft.it;

import static dev.weft.it.AgentRun.exception;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An unchanged app using the real OpenAI Java SDK, against a local stub of OpenAI: each model call
 * (chat completions sync, async and streamed, Responses, embeddings) is one call nested under the
 * traced method that made it, with the request as inputs, the response (a stream's assembled) as
 * output, usage in its summary and its parents', provider errors as its exception, and the app
 * sees exactly what it sees without the agent.
 */
class OpenAiIT {
  static final String APP = "dev.weft.it.apps.OpenAiApp";
  static final String KEY = "sk-proj-WEFTSTUBKEY7f3a9c1e5b2d4f60a8";
  static final String MODEL = LlmStub.CHAT_MODEL;
  static SdkAppRun app;
  static AgentRun.Result run;
  static LlmCallsOf llm;

  @BeforeAll
  static void runApp() throws Exception {
    app = new SdkAppRun(APP, "openai", KEY);
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
    assertTrue(run.stdout.contains("chat: " + LlmStub.ANSWER + " [59 tokens]"), run.stdout);
    assertTrue(run.stdout.contains("chatStream: " + LlmStub.ANSWER + " [12 chunks, usage field absent]"), run.stdout);
  }

  @Test
  void aChatCompletionIsOneCallWithTheRequestTheAnswerAndUsageNestedUnderItsCaller() {
    JsonNode call = llm.under("OpenAiApp.chat");
    assertEquals("openai.chat.completions.create", call.get("op_name").asText());
    assertEquals("gpt-4o-mini", call.at("/inputs/model").asText(), call::toString);
    assertEquals("Why does StatsTest fail?", call.at("/inputs/messages/1/content").asText(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/choices/0/message/content").asText(), call::toString);
    assertTrue(call.get("exception").isNull());
    LlmCallsOf.assertUsage(call, MODEL, 1, 42, 17, 59);
    assertEquals(0, call.at("/summary/usage/" + MODEL + "/cached_tokens").asLong(-1), "cached tokens when reported");
    LlmCallsOf.assertUsage(llm.root("OpenAiApp.chat"), MODEL, 1, 42, 17, 59);
  }

  @Test
  void anAsyncChatCompletionNestsUnderTheCallThatSentIt() {
    JsonNode call = llm.under("OpenAiApp.chatAsync");
    assertEquals(LlmStub.ANSWER, call.at("/output/choices/0/message/content").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 42, 17, 59);
  }

  @Test
  void aStreamIsOneCallWithTheAssembledMessageAndUsageAskedForOnTheWire() {
    JsonNode call = llm.under("OpenAiApp.chatStream");
    assertEquals(LlmStub.ANSWER, call.at("/output/choices/0/message/content").asText(), call::toString);
    assertEquals("stop", call.at("/output/choices/0/finish_reason").asText());
    assertTrue(call.at("/inputs/stream").asBoolean());
    assertFalse(call.at("/inputs").has("stream_options"), () -> "inputs are the app's request: " + call.get("inputs"));
    LlmCallsOf.assertUsage(call, MODEL, 1, 42, 17, 59);
    JsonNode wire = app.sent.stream().map(r -> r.body)
        .filter(b -> b.at("/messages/1/content").asText().equals("Stream the diagnosis of StatsTest.")).findFirst().get();
    assertTrue(wire.at("/stream_options/include_usage").asBoolean(), () -> "the request asked for usage: " + wire);
  }

  @Test
  void aStreamWhoseAppAskedForUsageKeepsItsUsageChunk() {
    assertTrue(run.stdout.contains("chatStreamWithUsage: " + LlmStub.ANSWER + " [59 tokens]"), run.stdout);
    LlmCallsOf.assertUsage(llm.under("OpenAiApp.chatStreamWithUsage"), MODEL, 1, 42, 17, 59);
  }

  @Test
  void anAsyncStreamIsOneCallWithItsUsage() {
    assertTrue(run.stdout.contains("chatStreamAsync: " + LlmStub.ANSWER + "\n"), run.stdout);
    JsonNode call = llm.under("OpenAiApp.chatStreamAsync");
    assertEquals(LlmStub.ANSWER, call.at("/output/choices/0/message/content").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 42, 17, 59);
  }

  @Test
  void aResponsesCallHasItsOutputAndUsageInChatsSpelling() {
    JsonNode call = llm.under("OpenAiApp.responses");
    assertEquals("openai.responses.create", call.get("op_name").asText());
    assertEquals("Diagnose WordsTest.", call.at("/inputs/input").asText(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/output/0/content/0/text").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 36, 87, 123);
    assertEquals(8, call.at("/summary/usage/" + MODEL + "/cached_tokens").asLong());
  }

  @Test
  void aResponsesStreamIsTheCompletedResponse() {
    JsonNode call = llm.under("OpenAiApp.responsesStream");
    assertEquals("completed", call.at("/output/status").asText(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/output/0/content/0/text").asText(), call::toString);
    LlmCallsOf.assertUsage(call, MODEL, 1, 36, 87, 123);
  }

  @Test
  void anEmbeddingsCallKeepsDimensionsNotVectors() {
    JsonNode call = llm.under("OpenAiApp.embeddings");
    assertEquals("openai.embeddings.create", call.get("op_name").asText());
    assertEquals("off-by-one in a loop bound", call.at("/inputs/input").asText(), call::toString);
    JsonNode first = call.at("/output/data/0");
    assertEquals(8, first.path("dimensions").asInt(), call::toString);
    assertFalse(first.has("embedding"), call::toString);
    JsonNode u = call.at("/summary/usage/text-embedding-3-small");
    assertEquals(6, u.path("prompt_tokens").asLong(), call::toString);
    assertEquals(6, u.path("total_tokens").asLong(), call::toString);
  }

  @Test
  void aRateLimitIsTheCallsExceptionAndTheAppGetsTheSdksOwn() throws Exception {
    assertTrue(run.stdout.contains("rateLimited: RateLimitException 429\n"), run.stdout);
    JsonNode call = llm.forModel("rate-limited");
    JsonNode e = exception(call);
    assertEquals("openai HTTP 429", e.get("type").asText(), e::toString);
    assertTrue(e.get("message").asText().contains("rate_limit_exceeded"), e::toString);
    assertTrue(call.get("output").isNull(), call::toString);
    assertEquals("OpenAiApp.failing", run.byId(call.get("parent_id").asText()).get("op_name").asText());
  }

  @Test
  void aServerErrorIsTheCallsException() throws Exception {
    assertTrue(run.stdout.contains("serverError: InternalServerException 500\n"), run.stdout);
    JsonNode e = exception(llm.forModel("broken"));
    assertEquals("openai HTTP 500", e.get("type").asText(), e::toString);
    assertTrue(e.get("message").asText().contains("server_error"), e::toString);
  }

  @Test
  void theSdksRetryOfA429IsStillOneCallWithTheAnswer() {
    assertEquals(2, app.sent.stream().filter(r -> r.body.path("model").asText().equals("flaky")).count(),
        "the SDK sent the request twice");
    JsonNode call = llm.under("OpenAiApp.retried");
    assertTrue(call.get("exception").isNull(), call::toString);
    assertEquals(LlmStub.ANSWER, call.at("/output/choices/0/message/content").asText(), call::toString);
    assertEquals("flaky", call.at("/inputs/model").asText(), "the request once, as sent");
  }

  @Test
  void aTimeoutEndsTheCallWithTheSdksException() throws Exception {
    JsonNode call = llm.forModel("slow");
    String printed = run.stdout.lines().filter(l -> l.startsWith("timeout: ")).findFirst().orElseThrow();
    assertEquals("OpenAIIoException", printed.substring("timeout: ".length()), run.stdout);
    assertTrue(exception(call).get("type").asText().endsWith("OpenAIIoException"), call::toString);
    assertTrue(AgentRun.duration(call).toMillis() < 2500, "ended at the timeout, not at the late answer");
  }

  @Test
  void aStreamTheAppAbandonsStillEndsItsCallWithWhatWasRead() {
    assertTrue(run.stdout.contains("abandoned: Off\n"), run.stdout);
    JsonNode call = llm.forModel("gpt-4o-mini-long");
    assertTrue(AgentRun.duration(call).toSeconds() < 20, "ended when the app closed the stream");
    String content = call.at("/output/choices/0/message/content").asText();
    assertTrue(content.startsWith("Off") && content.length() < 500, () -> "what the app read: " + call.get("output"));
    assertTrue(call.get("exception").isNull(), call::toString);
  }

  @Test
  void modelCallsOnAPoolsThreadsNestUnderTheirCallersAndUsageSumsUpTheTree() {
    JsonNode fanOut = llm.root("OpenAiApp.fanOut");
    List<JsonNode> chats = run.childrenOf(fanOut);
    assertEquals(2, chats.size(), () -> "two chats under fanOut: " + chats);
    for (JsonNode chat : chats) {
      assertEquals("OpenAiApp.chat", chat.get("op_name").asText());
      assertFalse(chat.at("/attributes/java/thread").asText().equals(fanOut.at("/attributes/java/thread").asText()),
          "ran on the pool");
      List<JsonNode> models = run.childrenOf(chat);
      assertEquals(1, models.size());
      assertEquals("openai.chat.completions.create", models.get(0).get("op_name").asText());
      LlmCallsOf.assertUsage(chat, MODEL, 1, 42, 17, 59);
    }
    LlmCallsOf.assertUsage(fanOut, MODEL, 2, 84, 34, 118);
  }

  @Test
  void eachModelCallIsOneCallWhateverTheSdksLayersAndRetries() {
    long calls = llm.all().size();
    assertEquals(15, calls, () -> "model calls: " + run.opNames());
    assertEquals(16, app.sent.size(), "one retried request among them");
  }

  @Test
  void theApiKeyIsNeverExported() {
    app.assertKeySentButNeverExported();
  }

  @Test
  void throughTheWeaveExporterTheServerHasTheModelCallWithItsUsage() throws Exception {
    try (LiveServer server = new LiveServer()) {
      app.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base).agentArg("project=acme/llm")
          .run(APP, app.base, KEY, "chat", "chatStream").assertOk();
      assertNotNull(server.awaitCall("acme/llm", "openai.chat.completions.create"), "the model call reached the server");
      List<JsonNode> calls = server.calls("acme/llm");
      assertEquals(4, calls.size(), calls::toString);
      for (JsonNode c : calls) {
        if (!c.at("/summary/weave/trace_name").asText().equals("openai.chat.completions.create")) continue;
        assertEquals(59, c.at("/summary/usage/" + MODEL + "/total_tokens").asLong(), c::toString);
        assertEquals(LlmStub.ANSWER, c.at("/output/choices/0/message/content").asText(), c::toString);
        JsonNode parent = calls.stream().filter(p -> p.get("id").asText().equals(c.get("parent_id").asText()))
            .findFirst().orElseThrow();
        assertEquals(59, parent.at("/summary/usage/" + MODEL + "/total_tokens").asLong(), parent::toString);
        assertFalse(c.toString().contains(KEY));
        // Priced by the server when read with include_costs, the dated model at its undated name's price.
        JsonNode cost = server.post("/calls/query", "{\"project_id\":\"acme/llm\",\"include_costs\":true,"
            + "\"filter\":{\"call_ids\":[\"" + c.get("id").asText() + "\"]}}").at("/calls/0/summary/weave/costs/" + MODEL);
        assertEquals(42, cost.get("prompt_tokens").asLong(), cost::toString);
        assertTrue(cost.get("prompt_token_cost").asDouble() > 0, cost::toString);
        assertEquals(42 * cost.get("prompt_token_cost").asDouble(), cost.get("prompt_tokens_total_cost").asDouble(), 1e-12);
        assertEquals(17 * cost.get("completion_token_cost").asDouble(), cost.get("completion_tokens_total_cost").asDouble(), 1e-12);
      }
    }
  }

  @Test
  void throughOtlpAModelCallCarriesTheGenAiAttributes() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver(null)) {
      app.app().agentArg("exporters=otlp").env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.base)
          .run(APP, app.base, KEY).assertOk();
      List<Span> spans = receiver.spans();
      Span caller = spans.stream().filter(s -> s.getName().equals("OpenAiApp.chat")).findFirst().orElseThrow(() -> new AssertionError(spans));
      Span chat = spans.stream().filter(s -> s.getParentSpanId().equals(caller.getSpanId())).findFirst().orElseThrow(() -> new AssertionError(spans));
      assertEquals("openai.chat.completions.create", chat.getName());
      assertEquals("chat", OtlpReceiver.attribute(chat, "gen_ai.operation.name").getStringValue());
      assertEquals("openai", OtlpReceiver.attribute(chat, "gen_ai.provider.name").getStringValue());
      assertEquals("gpt-4o-mini", OtlpReceiver.attribute(chat, "gen_ai.request.model").getStringValue());
      assertEquals(MODEL, OtlpReceiver.attribute(chat, "gen_ai.response.model").getStringValue());
      assertEquals(42, OtlpReceiver.attribute(chat, "gen_ai.usage.input_tokens").getIntValue());
      assertEquals(17, OtlpReceiver.attribute(chat, "gen_ai.usage.output_tokens").getIntValue());
    }
  }
}
