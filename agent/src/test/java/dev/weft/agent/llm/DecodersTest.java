package dev.weft.agent.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.bootstrap.LlmRecord;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decoders of the Responses API, embeddings and Anthropic's messages, on the wire bodies they read. */
class DecodersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static LlmRecord record(String provider, String api, String request, int status, boolean stream, String response) {
    LlmRecord r = new LlmRecord(provider, api);
    byte[] req = request.getBytes(StandardCharsets.UTF_8);
    r.requestBytes().write(req, 0, req.length);
    byte[] res = response.getBytes(StandardCharsets.UTF_8);
    r.responseBytes().write(res, 0, res.length);
    r.status(status);
    r.stream(stream);
    return r;
  }

  private static JsonNode json(Object captured) throws Exception {
    return JSON.readTree(captured.toString());
  }

  @Test
  void aResponsesStreamCutShortIsPutTogetherFromItsItemsAndDeltas() throws Exception {
    String events = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"status\":\"in_progress\",\"output\":[]}}\n\n"
        + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":0,\"item\":{\"type\":\"message\",\"role\":\"assistant\",\"content\":[]}}\n\n"
        + "event: response.content_part.added\ndata: {\"type\":\"response.content_part.added\",\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\"}}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"Off-by\"}\n\n"
        + "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"output_index\":0,\"content_index\":0,\"delta\":\"-one\"}\n\n"
        + "event: response.output_item.added\ndata: {\"type\":\"response.output_item.added\",\"output_index\":1,\"item\":{\"type\":\"function_call\",\"name\":\"run_tests\",\"arguments\":\"\"}}\n\n"
        + "event: response.function_call_arguments.delta\ndata: {\"type\":\"response.function_call_arguments.delta\",\"output_index\":1,\"delta\":\"{\\\"unit\\\":\"}\n\n";
    Decoded d = new OpenAiResponses().decode(record("openai", "responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\",\"stream\":true}", 200, true, events));
    JsonNode out = json(d.output);
    assertEquals("in_progress", out.path("status").asText());
    assertEquals("Off-by-one", out.at("/output/0/content/0/text").asText(), out::toString);
    assertEquals("{\"unit\":", out.at("/output/1/arguments").asText(), out::toString);
    assertTrue(d.usage.isEmpty(), "no usage before response.completed");
    assertEquals("gpt-4o-mini-2024-07-18", d.responseModel);
  }

  @Test
  void aResponsesStreamThatFailedIsAnError() throws Exception {
    String events = "data: {\"type\":\"response.failed\",\"response\":{\"id\":\"resp_1\",\"status\":\"failed\",\"output\":[],"
        + "\"error\":{\"code\":\"server_error\",\"message\":\"The model failed\"}}}\n\n";
    Decoded d = new OpenAiResponses().decode(record("openai", "responses", "{\"model\":\"gpt-4o\"}", 200, true, events));
    assertEquals("openai server_error", JSON.readTree(d.error).get("type").asText());
  }

  @Test
  void embeddingsKeepTheirDimensionsAsFloatsOrBase64() throws Exception {
    String response = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,-0.2,0.3]},"
        + "{\"object\":\"embedding\",\"index\":1,\"embedding\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}],\"model\":\"text-embedding-3-small\","
        + "\"usage\":{\"prompt_tokens\":6,\"total_tokens\":6}}";
    Decoded d = new OpenAiEmbeddings().decode(record("openai", "embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"b\"]}", 200, false, response));
    JsonNode out = json(d.output);
    assertEquals(3, out.at("/data/0/dimensions").asInt(), out::toString);
    assertEquals(4, out.at("/data/1/dimensions").asInt(), out::toString);
    assertFalse(out.toString().contains("embedding\":"), out::toString);
    assertEquals(Map.of("requests", 1L, "prompt_tokens", 6L, "total_tokens", 6L), d.usage.get("text-embedding-3-small"));
    assertEquals("embeddings", d.operation);
  }

  @Test
  void anAnthropicStreamIsOneMessageWithToolInputAndUsageCountingTheCache() throws Exception {
    String events = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":10,"
        + "\"cache_creation_input_tokens\":100,\"cache_read_input_tokens\":1000,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Look at the loop.\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"run_tests\",\"input\":{}}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"unit\\\": \\\"St\"}}\n\n"
        + "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"ats\\\"}\"}}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":40}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    Decoded d = new AnthropicMessages().decode(record("anthropic", "messages", "{\"model\":\"claude-sonnet-4-20250514\",\"stream\":true}", 200, true, events));
    JsonNode out = json(d.output);
    assertEquals("Look at the loop.", out.at("/content/0/thinking").asText(), out::toString);
    assertEquals("sig", out.at("/content/0/signature").asText());
    assertEquals("Stats", out.at("/content/1/input/unit").asText(), out::toString);
    assertEquals("tool_use", out.path("stop_reason").asText());
    assertNull(d.error);
    Map<String, Long> u = d.usage.get("claude-sonnet-4-20250514");
    assertEquals(1110L, u.get("prompt_tokens"), u::toString);
    assertEquals(40L, u.get("completion_tokens"));
    assertEquals(1150L, u.get("total_tokens"));
    assertEquals(1000L, u.get("cached_tokens"));
    assertEquals(100L, u.get("cache_creation_tokens"));
    assertFalse(u.containsKey("input_tokens"));
  }

  @Test
  void anAnthropicStreamErrorIsTheCallsError() throws Exception {
    String events = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-20250514\",\"content\":[],\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n"
        + "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
    Decoded d = new AnthropicMessages().decode(record("anthropic", "messages", "{\"model\":\"claude-sonnet-4-20250514\"}", 200, true, events));
    assertEquals("anthropic overloaded_error", JSON.readTree(d.error).get("type").asText());
    assertEquals("Overloaded", JSON.readTree(d.error).get("message").asText());
  }
}
