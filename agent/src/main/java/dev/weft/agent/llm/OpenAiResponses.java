package dev.weft.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.bootstrap.LlmRecord;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAI's Responses API ({@code POST /responses}): the request as inputs; the response as output,
 * a stream's events made into one response (the last {@code response.completed} carries it whole;
 * a stream cut short is put together from its output items and deltas); usage from the response's
 * {@code usage}, whose {@code input_tokens}/{@code output_tokens} are spelt as chat's
 * {@code prompt_tokens}/{@code completion_tokens}.
 */
final class OpenAiResponses extends WireDecoder {
  OpenAiResponses() {
    super("chat");
  }

  @Override
  Decoded answer(LlmRecord r, JsonNode request, String requestModel) throws Exception {
    Assembled stream = r.isStream() ? assemble(r.responseBytes().toByteArray()) : null;
    JsonNode response = stream != null ? stream.response : Decoders.parse(r.responseBytes());
    String error = stream != null ? stream.error : null;
    JsonNode failure = response.path("error");
    if (error == null && failure.isObject()) {
      error = Decoders.error("openai " + failure.path("code").asText("error"), failure.path("message").asText());
    }
    String model = response.path("model").asText(requestModel);
    JsonNode u = response.path("usage");
    Map<String, Map<String, Long>> usage = u.isObject() ? Decoders.usage(model,
        "prompt_tokens", u.get("input_tokens"), "completion_tokens", u.get("output_tokens"),
        "total_tokens", u.get("total_tokens"), "cached_tokens", u.path("input_tokens_details").get("cached_tokens"))
        : null;
    return decoded(request, response, error, requestModel, usage);
  }

  static Assembled assemble(byte[] bytes) throws Exception {
    ObjectNode latest = null;
    String error = null;
    Map<Integer, ObjectNode> items = new TreeMap<>();
    Map<String, StringBuilder> text = new HashMap<>();
    for (Sse.Event e : Sse.parse(bytes)) {
      if (e.data.isBlank() || e.data.equals("[DONE]")) continue;
      JsonNode event = Decoders.JSON.readTree(e.data);
      String type = event.path("type").asText(e.name == null ? "" : e.name);
      int index = event.path("output_index").asInt();
      switch (type) {
        case "response.created":
        case "response.in_progress":
        case "response.completed":
        case "response.incomplete":
        case "response.failed":
          if (event.path("response").isObject()) latest = (ObjectNode) event.get("response");
          break;
        case "response.output_item.added":
        case "response.output_item.done":
          if (event.path("item").isObject()) items.put(index, (ObjectNode) event.get("item"));
          break;
        case "response.content_part.added":
          ObjectNode item = items.get(index);
          if (item != null && event.path("part").isObject()) {
            ArrayNode content = item.path("content").isArray() ? (ArrayNode) item.get("content") : item.putArray("content");
            int part = event.path("content_index").asInt();
            while (content.size() <= part) content.addObject();
            content.set(part, event.get("part"));
          }
          break;
        case "response.output_text.delta":
        case "response.refusal.delta":
          text.computeIfAbsent(index + "/" + event.path("content_index").asInt(), k -> new StringBuilder())
              .append(event.path("delta").asText());
          break;
        case "response.function_call_arguments.delta":
          text.computeIfAbsent(index + "/arguments", k -> new StringBuilder()).append(event.path("delta").asText());
          break;
        case "error":
          error = Decoders.error("openai " + event.path("code").asText("error"), event.path("message").asText());
          break;
        default:
          break;
      }
    }
    ObjectNode response = latest != null ? latest : Decoders.JSON.createObjectNode().put("object", "response");
    if (response.path("output").size() == 0 && !items.isEmpty()) {
      // Cut short before response.completed: what the output items and deltas said so far.
      ArrayNode output = response.putArray("output");
      for (Map.Entry<Integer, ObjectNode> item : items.entrySet()) output.add(filled(item.getKey(), item.getValue(), text));
    }
    return new Assembled(response, error);
  }

  /** An output item with the text its deltas gave, where its done event did not say it whole. */
  private static ObjectNode filled(int index, ObjectNode item, Map<String, StringBuilder> text) {
    StringBuilder arguments = text.get(index + "/arguments");
    if (arguments != null && item.path("arguments").asText().isEmpty()) item.put("arguments", arguments.toString());
    for (Map.Entry<String, StringBuilder> t : text.entrySet()) {
      if (!t.getKey().startsWith(index + "/") || t.getKey().endsWith("/arguments")) continue;
      int part = Integer.parseInt(t.getKey().substring(t.getKey().indexOf('/') + 1));
      ArrayNode content = item.path("content").isArray() ? (ArrayNode) item.get("content") : item.putArray("content");
      while (content.size() <= part) content.addObject().put("type", "output_text").put("text", "");
      ObjectNode p = (ObjectNode) content.get(part);
      String field = "refusal".equals(p.path("type").asText()) ? "refusal" : "text";
      if (p.path(field).asText().isEmpty()) p.put(field, t.getValue().toString());
    }
    return item;
  }
}
