package dev.weft.agent.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.base.Failures;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.LlmRecord;
import dev.weft.agent.capture.Capture;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The decoders of each provider's APIs, by {@code provider/api}, and the one place that runs
 * them: on the export thread, once per LLM call, before its usage is summed into its parents.
 */
public final class Decoders {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Decoder> BY_API = new ConcurrentHashMap<>();

  static {
    register("*", "objects", Decoders::objects);
    register("openai", "chat.completions", new OpenAiChat());
    register("openai", "responses", new OpenAiResponses());
    register("openai", "embeddings", new OpenAiEmbeddings());
    register("anthropic", "messages", new AnthropicMessages());
  }

  private Decoders() {}

  /** Adds the decoder of an API ({@code provider} may be {@code *}). */
  public static void register(String provider, String api, Decoder decoder) {
    BY_API.put(provider + "/" + api, decoder);
  }

  /**
   * The call's decoded form; null for calls that are not LLM calls. Kept once the call has ended;
   * a running call (a long stream shown as running) is decoded as far as it got, each time.
   */
  public static Decoded of(Call call) {
    LlmRecord r = call.llm;
    if (r == null) return null;
    if (r.decoded != null) return (Decoded) r.decoded;
    Decoded d = decode(r);
    if (call.isEnded()) r.decoded = d;
    return d;
  }

  private static Decoded decode(LlmRecord r) {
    Decoder d = BY_API.getOrDefault(r.provider + "/" + r.api, BY_API.get("*/" + r.api));
    try {
      if (d != null) return d.decode(r);
    } catch (Throwable t) {
      Failures.report("decoding an LLM call of " + r.provider + "/" + r.api, t);
    }
    return raw(r);
  }

  /** A framework's call: captured objects and the usage it reported. */
  private static Decoded objects(LlmRecord r) {
    String model = r.usage() == null || r.usage().isEmpty() ? null : r.usage().keySet().iterator().next();
    return new Decoded(r.requestObject(), r.responseObject(), null, "chat", model, model, r.usage());
  }

  /** What could not be decoded: the bodies as they are, as text. */
  static Decoded raw(LlmRecord r) {
    return new Decoded(text(r.requestBytes()), text(r.responseBytes()), error(r), null, null, null, null);
  }

  /** The provider's refusal, from the status and body of the response; null for a 2xx. */
  static String error(LlmRecord r) {
    int status = r.status();
    if (status == 0 || status / 100 == 2) return null;
    return error(r.provider + " HTTP " + status, new String(r.responseBytes().toByteArray(), StandardCharsets.UTF_8));
  }

  /** A body as captured text (cut to the capture limits), or null when empty. */
  static Object text(LlmRecord.Bytes bytes) {
    return bytes.size() == 0 ? null : Capture.value(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
  }

  /** A JSON body as a captured value: parsed, then redacted and cut as any captured value is. */
  static Object captured(JsonNode node) {
    return node == null || node.isMissingNode() ? null : Capture.value(JSON.convertValue(node, Object.class));
  }

  /** An error a provider reported inside a 2xx answer (a stream's error event), as an exception text. */
  static String error(String type, String message) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", type);
    e.put("message", message);
    try {
      return JSON.writeValueAsString(e);
    } catch (Exception x) {
      return type + ": " + message;
    }
  }

  static JsonNode parse(LlmRecord.Bytes bytes) throws java.io.IOException {
    return bytes.size() == 0 ? null : JSON.readTree(bytes.toByteArray());
  }

  /** One model's usage: {@code requests: 1} and the counts given, JSON numbers or Longs (others left out). */
  static Map<String, Map<String, Long>> usage(String model, Object... nameAndCount) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("requests", 1L);
    for (int i = 0; i + 1 < nameAndCount.length; i += 2) {
      Object n = nameAndCount[i + 1];
      if (n instanceof JsonNode && ((JsonNode) n).isNumber()) counts.put((String) nameAndCount[i], ((JsonNode) n).asLong());
      else if (n instanceof Long) counts.put((String) nameAndCount[i], (Long) n);
    }
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    out.put(model == null ? "unknown" : model, counts);
    return out;
  }
}
