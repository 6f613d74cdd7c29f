package dev.weft.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.bootstrap.LlmRecord;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI's chat completions ({@code POST /chat/completions}), also spoken by many compatible
 * servers: the request as inputs; the completion as output, a stream's chunks assembled into one
 * completion; usage from the response's {@code usage} (a stream has it in its last chunk when
 * the request asked for it).
 */
final class OpenAiChat extends WireDecoder {
  OpenAiChat() {
    super("chat");
  }

  @Override
  Decoded answer(LlmRecord r, JsonNode request, String requestModel) throws Exception {
    JsonNode response = r.isStream() ? assemble(r.responseBytes().toByteArray()) : Decoders.parse(r.responseBytes());
    String model = response.path("model").asText(requestModel);
    JsonNode u = response.path("usage");
    Map<String, Map<String, Long>> usage = u.isObject() ? Decoders.usage(model,
        "prompt_tokens", u.get("prompt_tokens"), "completion_tokens", u.get("completion_tokens"),
        "total_tokens", u.get("total_tokens"), "cached_tokens", u.path("prompt_tokens_details").get("cached_tokens"))
        : null;
    return decoded(request, response, null, requestModel, usage);
  }

  /** A stream's chunks as one completion: each choice's content and tool calls put together. */
  static JsonNode assemble(byte[] stream) throws Exception {
    ObjectNode out = Decoders.JSON.createObjectNode();
    Map<Integer, ObjectNode> choices = new TreeMap<>();
    Map<String, StringBuilder> text = new java.util.HashMap<>();
    for (Sse.Event e : Sse.parse(stream)) {
      if (e.data.equals("[DONE]") || e.data.isBlank()) continue;
      JsonNode chunk = Decoders.JSON.readTree(e.data);
      for (String f : new String[] {"id", "created", "model", "system_fingerprint"}) {
        if (chunk.has(f)) out.set(f, chunk.get(f));
      }
      if (chunk.path("usage").isObject()) out.set("usage", chunk.get("usage"));
      for (JsonNode c : chunk.path("choices")) {
        int index = c.path("index").asInt();
        ObjectNode choice = choices.computeIfAbsent(index, i -> {
          ObjectNode n = Decoders.JSON.createObjectNode().put("index", i);
          n.putObject("message").put("role", "assistant");
          return n;
        });
        ObjectNode message = (ObjectNode) choice.get("message");
        JsonNode delta = c.path("delta");
        if (delta.has("role")) message.set("role", delta.get("role"));
        if (delta.path("content").isTextual()) {
          text.computeIfAbsent(index + "/content", k -> new StringBuilder()).append(delta.get("content").asText());
        }
        for (JsonNode call : delta.path("tool_calls")) {
          ArrayNode calls = message.has("tool_calls") ? (ArrayNode) message.get("tool_calls") : message.putArray("tool_calls");
          int i = call.path("index").asInt();
          while (calls.size() <= i) calls.addObject().put("type", "function").putObject("function");
          ObjectNode target = (ObjectNode) calls.get(i);
          if (call.has("id")) target.set("id", call.get("id"));
          JsonNode fn = call.path("function");
          if (fn.has("name")) ((ObjectNode) target.get("function")).set("name", fn.get("name"));
          if (fn.path("arguments").isTextual()) {
            text.computeIfAbsent(index + "/tool/" + i, k -> new StringBuilder()).append(fn.get("arguments").asText());
          }
        }
        if (c.hasNonNull("finish_reason")) choice.set("finish_reason", c.get("finish_reason"));
      }
    }
    ArrayNode all = out.putArray("choices");
    for (Map.Entry<Integer, ObjectNode> c : choices.entrySet()) {
      ObjectNode message = (ObjectNode) c.getValue().get("message");
      StringBuilder content = text.get(c.getKey() + "/content");
      message.put("content", content == null ? null : content.toString());
      JsonNode calls = message.path("tool_calls");
      for (int i = 0; i < calls.size(); i++) {
        StringBuilder args = text.get(c.getKey() + "/tool/" + i);
        ((ObjectNode) calls.get(i).get("function")).put("arguments", args == null ? "" : args.toString());
      }
      all.add(c.getValue());
    }
    out.put("object", "chat.completion");
    return out;
  }
}
