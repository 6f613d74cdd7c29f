package dev.weft.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.bootstrap.LlmRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * Anthropic's messages ({@code POST /v1/messages}): the request as inputs; the message as output,
 * a stream's events ({@code message_start}, {@code content_block_start}/{@code _delta},
 * {@code message_delta}) made into one message, text and tool input put together; usage in the
 * one spelling Weft writes, with OpenAI's meaning: {@code prompt_tokens} is every input token,
 * including those read from the prompt cache ({@code cached_tokens}, as OpenAI counts them) and
 * those written to it ({@code cache_creation_tokens}); Anthropic's {@code input_tokens} counts
 * neither.
 */
final class AnthropicMessages extends WireDecoder {
  AnthropicMessages() {
    super("chat");
  }

  @Override
  Decoded answer(LlmRecord r, JsonNode request, String requestModel) throws Exception {
    Assembled stream = r.isStream() ? assemble(r.responseBytes().toByteArray()) : null;
    JsonNode message = stream != null ? stream.response : Decoders.parse(r.responseBytes());
    if (message == null) return decoded(request, null, stream.error, requestModel, null); // cut before message_start
    JsonNode u = message.path("usage");
    return decoded(request, message, stream != null ? stream.error : null, requestModel,
        u.isObject() ? usage(message.path("model").asText(requestModel), u) : null);
  }

  static Map<String, Map<String, Long>> usage(String model, JsonNode u) {
    long input = u.path("input_tokens").asLong();
    long read = u.path("cache_read_input_tokens").asLong();
    long written = u.path("cache_creation_input_tokens").asLong();
    long prompt = input + read + written;
    long completion = u.path("output_tokens").asLong();
    return Decoders.usage(model, "prompt_tokens", prompt, "completion_tokens", completion,
        "total_tokens", prompt + completion,
        "cached_tokens", u.hasNonNull("cache_read_input_tokens") ? read : null,
        "cache_creation_tokens", u.hasNonNull("cache_creation_input_tokens") ? written : null);
  }

  /** A stream made into one message (null if it never started), and the error it reported. */
  static Assembled assemble(byte[] bytes) throws Exception {
    ObjectNode message = null;
    String error = null;
    Map<Integer, ObjectNode> blocks = new TreeMap<>();
    Map<Integer, StringBuilder> text = new TreeMap<>();
    for (Sse.Event e : Sse.parse(bytes)) {
      if (e.data.isBlank()) continue;
      JsonNode event = Decoders.JSON.readTree(e.data);
      int index = event.path("index").asInt();
      switch (event.path("type").asText(e.name == null ? "" : e.name)) {
        case "message_start":
          if (event.path("message").isObject()) message = (ObjectNode) event.get("message");
          break;
        case "content_block_start":
          if (event.path("content_block").isObject()) blocks.put(index, (ObjectNode) event.get("content_block"));
          break;
        case "content_block_delta":
          delta(blocks.computeIfAbsent(index, i -> Decoders.JSON.createObjectNode()), event.path("delta"),
              text.computeIfAbsent(index, i -> new StringBuilder()));
          break;
        case "message_delta":
          if (message == null) message = Decoders.JSON.createObjectNode();
          for (String f : new String[] {"stop_reason", "stop_sequence"}) {
            if (event.path("delta").has(f)) message.set(f, event.path("delta").get(f));
          }
          if (event.path("usage").isObject()) {
            ObjectNode usage = message.path("usage").isObject() ? (ObjectNode) message.get("usage") : message.putObject("usage");
            for (Map.Entry<String, JsonNode> f : event.get("usage").properties()) {
              if (!f.getValue().isNull()) usage.set(f.getKey(), f.getValue()); // the counts so far, not increments
            }
          }
          break;
        case "error":
          error = Decoders.error("anthropic " + event.path("error").path("type").asText("error"),
              event.path("error").path("message").asText());
          break;
        default:
          break;
      }
    }
    if (message == null) return new Assembled(null, error);
    ArrayNode content = message.putArray("content");
    for (Map.Entry<Integer, ObjectNode> b : blocks.entrySet()) {
      ObjectNode block = b.getValue();
      StringBuilder t = text.get(b.getKey());
      if (t != null) finish(block, t.toString());
      content.add(block);
    }
    return new Assembled(message, error);
  }

  /** One delta of a content block: text, tool input JSON or thinking gathered; a signature or citation set. */
  private static void delta(ObjectNode block, JsonNode delta, StringBuilder text) {
    switch (delta.path("type").asText()) {
      case "text_delta":
        text.append(delta.path("text").asText());
        break;
      case "input_json_delta":
        text.append(delta.path("partial_json").asText());
        break;
      case "thinking_delta":
        text.append(delta.path("thinking").asText());
        break;
      case "signature_delta":
        block.set("signature", delta.get("signature"));
        break;
      case "citations_delta":
        (block.path("citations").isArray() ? (ArrayNode) block.get("citations") : block.putArray("citations"))
            .add(delta.path("citation"));
        break;
      default:
        break;
    }
  }

  /** A block's gathered text in its place: {@code text}, {@code thinking}, or a tool's {@code input} parsed. */
  private static void finish(ObjectNode block, String gathered) {
    String type = block.path("type").asText("text");
    if (type.endsWith("tool_use")) {
      if (gathered.isBlank()) return;
      try {
        block.set("input", Decoders.JSON.readTree(gathered));
      } catch (Exception cutShort) {
        block.put("input", gathered); // a stream abandoned mid-way: the JSON so far
      }
    } else if (type.equals("thinking")) {
      block.put("thinking", gathered);
    } else {
      block.put("text", gathered);
    }
  }
}
