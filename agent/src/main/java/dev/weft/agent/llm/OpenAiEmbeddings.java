package dev.weft.agent.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.bootstrap.LlmRecord;
import java.io.IOException;
import java.util.Map;

/**
 * OpenAI's embeddings ({@code POST /embeddings}): the request as inputs; as output the response
 * without its vectors, each embedding given by its index and its {@code dimensions} (the vectors
 * are numbers nobody reads in a trace, and megabytes of them); usage {@code prompt_tokens} and
 * {@code total_tokens}. The response is read as a stream of tokens, so no vector is ever built.
 */
final class OpenAiEmbeddings extends WireDecoder {
  OpenAiEmbeddings() {
    super("embeddings");
  }

  @Override
  Decoded answer(LlmRecord r, JsonNode request, String requestModel) throws Exception {
    ObjectNode response = withoutVectors(r.responseBytes().toByteArray());
    JsonNode u = response.path("usage");
    Map<String, Map<String, Long>> usage = u.isObject() ? Decoders.usage(response.path("model").asText(requestModel),
        "prompt_tokens", u.get("prompt_tokens"), "total_tokens", u.get("total_tokens")) : null;
    return decoded(request, response, null, requestModel, usage);
  }

  /** The response's fields, its {@code data} items with {@code dimensions} in place of {@code embedding}. */
  static ObjectNode withoutVectors(byte[] json) throws IOException {
    ObjectNode out = Decoders.JSON.createObjectNode();
    try (JsonParser p = Decoders.JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return out;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.getCurrentName();
        JsonToken value = p.nextToken();
        if (field.equals("data") && value == JsonToken.START_ARRAY) {
          ArrayNode data = out.putArray("data");
          while (p.nextToken() == JsonToken.START_OBJECT) data.add(item(p));
        } else {
          out.set(field, p.readValueAsTree());
        }
      }
    } catch (IOException cut) {
      // A response cut at the keeping limit: what came before the cut.
    }
    return out;
  }

  /** One embedding, the parser at its START_OBJECT; leaves it at its END_OBJECT. */
  private static ObjectNode item(JsonParser p) throws IOException {
    ObjectNode item = Decoders.JSON.createObjectNode();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.getCurrentName();
      JsonToken value = p.nextToken();
      if (field.equals("embedding") && value == JsonToken.START_ARRAY) {
        int n = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) n++;
        item.put("dimensions", n);
      } else if (field.equals("embedding") && value == JsonToken.VALUE_STRING) {
        // encoding_format base64: little-endian float32s.
        String b64 = p.getText().trim();
        int padding = b64.endsWith("==") ? 2 : b64.endsWith("=") ? 1 : 0;
        item.put("dimensions", (b64.length() / 4 * 3 - padding) / 4);
      } else {
        item.set(field, p.readValueAsTree());
      }
    }
    return item;
  }
}
