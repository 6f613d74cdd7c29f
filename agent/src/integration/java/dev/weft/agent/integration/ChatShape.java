package dev.weft.agent.integration;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape AI frameworks' model calls are recorded in (LangChain4j's, Spring AI's): OpenAI's
 * chat completion, whatever the provider, so that every model call reads the same in a trace and
 * beside the OpenAI SDK's own: role-labelled messages with tool calls, tools as functions, the
 * reply as a choice, token usage by OpenAI's names.
 */
public final class ChatShape {
  private static final ClassValue<String> SIMPLE_NAMES = new ClassValue<String>() {
    @Override
    protected String computeValue(Class<?> type) {
      Class<?> named = type;
      // A subclass made at run time (a Spring CGLIB proxy, OpenAiChatModel$$SpringCGLIB$$0) goes by its model's name.
      while (named.getName().contains("$$") && named.getSuperclass() != null) named = named.getSuperclass();
      String name = named.getName();
      return name.substring(name.lastIndexOf('.') + 1);
    }
  };

  private ChatShape() {}

  /** An op name: {@code <integration>.<class's simple name>.<method>}, e.g. {@code langchain4j.OpenAiChatModel.chat}. */
  public static String op(String integration, Class<?> type, String method) {
    return integration + "." + SIMPLE_NAMES.get(type) + "." + method;
  }

  /** The sampling parameters a request sets, by OpenAI's names; those not set are left out. */
  public static void parameters(Map<String, Object> out, Double temperature, Double topP, Integer topK,
      Double frequencyPenalty, Double presencePenalty, Integer maxTokens, List<String> stop) {
    put(out, "temperature", temperature);
    put(out, "top_p", topP);
    put(out, "top_k", topK);
    put(out, "frequency_penalty", frequencyPenalty);
    put(out, "presence_penalty", presencePenalty);
    put(out, "max_tokens", maxTokens);
    if (stop != null && !stop.isEmpty()) out.put("stop", stop);
  }

  /** A tool call of an assistant's message. */
  public static Map<String, Object> toolCall(String id, String type, String name, String arguments) {
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", name);
    function.put("arguments", arguments);
    Map<String, Object> call = new LinkedHashMap<>();
    call.put("id", id);
    call.put("type", type == null ? "function" : type);
    call.put("function", function);
    return call;
  }

  /** A tool offered to the model: its name, description and parameters' JSON schema. */
  public static Map<String, Object> tool(String name, String description, Object parameters) {
    Map<String, Object> function = new LinkedHashMap<>();
    function.put("name", name);
    put(function, "description", description);
    put(function, "parameters", parameters);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", "function");
    out.put("function", function);
    return out;
  }

  /** One reply of a completion. */
  public static Map<String, Object> choice(int index, Map<String, Object> message, String finishReason) {
    Map<String, Object> choice = new LinkedHashMap<>();
    choice.put("index", index);
    choice.put("message", message);
    put(choice, "finish_reason", finishReason);
    return choice;
  }

  /** A completion: its id and model (null where unknown), its choices, and its token counts (see {@link #counts}). */
  public static Map<String, Object> completion(String id, String model, List<Map<String, Object>> choices,
      Map<String, Long> counts) {
    Map<String, Object> out = new LinkedHashMap<>();
    put(out, "id", id == null || id.isEmpty() ? null : id);
    put(out, "model", model == null || model.isEmpty() ? null : model);
    out.put("object", "chat.completion");
    out.put("choices", choices);
    if (counts != null) {
      Map<String, Long> usage = new LinkedHashMap<>(counts);
      usage.remove("requests"); // a summary's count, not a response's
      out.put("usage", usage);
    }
    return out;
  }

  /**
   * One request's token counts, by OpenAI's names, with {@code requests: 1}; the total the sum
   * when not given. Null when the provider reported none (no counts, or zeros, as a framework's
   * empty usage has).
   */
  public static Map<String, Long> counts(Integer prompt, Integer completion, Integer total, Integer cached) {
    if ((prompt == null || prompt == 0) && (completion == null || completion == 0)) return null;
    Map<String, Long> c = new LinkedHashMap<>();
    c.put("requests", 1L);
    if (prompt != null) c.put("prompt_tokens", prompt.longValue());
    if (completion != null) c.put("completion_tokens", completion.longValue());
    if (total == null && prompt != null && completion != null) total = prompt + completion;
    if (total != null) c.put("total_tokens", total.longValue());
    if (cached != null) c.put("cached_tokens", cached.longValue());
    return c;
  }

  /** Token usage as a call records it: counts by model ({@code unknown} when no model is named); null without counts. */
  public static Map<String, Map<String, Long>> usage(String model, Map<String, Long> counts) {
    if (counts == null) return null;
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    out.put(model == null || model.isEmpty() ? "unknown" : model, counts);
    return out;
  }

  /** Puts {@code value} under {@code key} unless it is null. */
  public static void put(Map<String, Object> out, String key, Object value) {
    if (value != null) out.put(key, value);
  }
}
