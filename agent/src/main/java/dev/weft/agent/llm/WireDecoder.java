package dev.weft.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.bootstrap.LlmRecord;
import java.util.Map;

/**
 * A provider API's decoder: the request body, parsed, is the inputs and names the requested
 * model; a refusal (a non-2xx answer) or an empty answer is the call without output; anything
 * else is what {@link #answer} makes of the response.
 */
abstract class WireDecoder implements Decoder {
  /** OpenTelemetry's {@code gen_ai.operation.name} for this API. */
  final String operation;

  WireDecoder(String operation) {
    this.operation = operation;
  }

  @Override
  public final Decoded decode(LlmRecord r) throws Exception {
    JsonNode request = Decoders.parse(r.requestBytes());
    String requestModel = request == null ? null : request.path("model").asText(null);
    String error = Decoders.error(r);
    if (error != null || r.responseBytes().size() == 0) {
      return new Decoded(Decoders.captured(request), null, error, operation, requestModel, null, null);
    }
    return answer(r, request, requestModel);
  }

  /** A 2xx exchange with a body: its output, error (a stream may report one) and usage. */
  abstract Decoded answer(LlmRecord r, JsonNode request, String requestModel) throws Exception;

  /** The call as decoded: the request as inputs, the response (null: none) as output, its model's usage. */
  Decoded decoded(JsonNode request, JsonNode response, String error, String requestModel,
      Map<String, Map<String, Long>> usage) {
    String model = response == null ? null : response.path("model").asText(requestModel);
    return new Decoded(Decoders.captured(request), Decoders.captured(response), error, operation, requestModel, model, usage);
  }

  /** A stream made into one response, and the error the stream reported, if any. */
  static final class Assembled {
    final ObjectNode response;
    final String error;

    Assembled(ObjectNode response, String error) {
      this.response = response;
      this.error = error;
    }
  }
}
