package dev.weft.agent.integration.langchain4j;

import static dev.weft.agent.integration.ChatShape.put;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.Content;
import dev.langchain4j.data.message.CustomMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.TextContent;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.internal.JsonSchemaElementUtils;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import dev.weft.agent.integration.ChatShape;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * LangChain4j's requests and responses as an LLM call's inputs, output and usage: small maps in
 * OpenAI's chat-completion shape whatever the provider (role-labelled messages with their tool
 * calls and results, tools, parameters; the reply as a choice), so every model call reads the
 * same in a trace. Only LangChain4j's public types are read.
 */
final class Conversation {
  private Conversation() {}

  /** The request: model, messages, tools and parameters (the model's defaults applied: doChat gets them so). */
  static Map<String, Object> request(ChatRequest request) {
    Map<String, Object> out = new LinkedHashMap<>();
    ChatRequestParameters p = request.parameters();
    if (p != null) put(out, "model", p.modelName());
    List<Map<String, Object>> messages = new ArrayList<>();
    for (ChatMessage m : request.messages()) messages.add(message(m));
    out.put("messages", messages);
    if (p == null) return out;
    if (p.toolSpecifications() != null && !p.toolSpecifications().isEmpty()) {
      List<Map<String, Object>> tools = new ArrayList<>();
      for (ToolSpecification t : p.toolSpecifications()) tools.add(tool(t));
      out.put("tools", tools);
    }
    if (p.toolChoice() != null) out.put("tool_choice", p.toolChoice().name().toLowerCase(Locale.ROOT));
    ChatShape.parameters(out, p.temperature(), p.topP(), p.topK(), p.frequencyPenalty(), p.presencePenalty(),
        p.maxOutputTokens(), p.stopSequences());
    ResponseFormat format = p.responseFormat();
    if (format != null && format.type() != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("type", format.type().name().toLowerCase(Locale.ROOT));
      if (format.jsonSchema() != null) f.put("name", format.jsonSchema().name());
      out.put("response_format", f);
    }
    return out;
  }

  /** One message, by OpenAI's roles: system, user, assistant (with tool calls), tool. */
  static Map<String, Object> message(ChatMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (m instanceof SystemMessage) {
      out.put("role", "system");
      out.put("content", ((SystemMessage) m).text());
    } else if (m instanceof UserMessage) {
      UserMessage u = (UserMessage) m;
      out.put("role", "user");
      put(out, "name", u.name());
      out.put("content", u.hasSingleText() ? u.singleText() : contents(u.contents()));
    } else if (m instanceof AiMessage) {
      return assistant((AiMessage) m);
    } else if (m instanceof ToolExecutionResultMessage) {
      ToolExecutionResultMessage t = (ToolExecutionResultMessage) m;
      out.put("role", "tool");
      put(out, "tool_call_id", t.id());
      put(out, "name", t.toolName());
      out.put("content", t.text());
    } else if (m instanceof CustomMessage) {
      out.put("role", "custom");
      out.put("content", ((CustomMessage) m).attributes());
    } else {
      out.put("role", m.type() == null ? "unknown" : m.type().name().toLowerCase(Locale.ROOT));
      out.put("content", String.valueOf(m));
    }
    return out;
  }

  /** A user message of several parts: text as it is, any other kind (an image, audio) by its kind. */
  private static List<Map<String, Object>> contents(List<Content> contents) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Content c : contents) {
      Map<String, Object> part = new LinkedHashMap<>();
      String type = c.type() == null ? "unknown" : c.type().name().toLowerCase(Locale.ROOT);
      part.put("type", type);
      if (c instanceof TextContent) part.put("text", ((TextContent) c).text());
      out.add(part);
    }
    return out;
  }

  static Map<String, Object> assistant(AiMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("role", "assistant");
    out.put("content", m.text());
    put(out, "reasoning_content", m.thinking());
    if (m.hasToolExecutionRequests()) {
      List<Map<String, Object>> calls = new ArrayList<>();
      for (ToolExecutionRequest r : m.toolExecutionRequests()) calls.add(ChatShape.toolCall(r.id(), null, r.name(), r.arguments()));
      out.put("tool_calls", calls);
    }
    return out;
  }

  private static Map<String, Object> tool(ToolSpecification t) {
    Object parameters = null;
    if (t.parameters() != null) {
      try {
        parameters = JsonSchemaElementUtils.toMap(t.parameters());
      } catch (RuntimeException | LinkageError e) { // an internal helper: a later version may move it
        parameters = Map.of("properties", new ArrayList<>(t.parameters().properties().keySet()));
      }
    }
    return ChatShape.tool(t.name(), t.description(), parameters);
  }

  /** The response as one chat completion: its message, why it finished, and its usage. */
  static Map<String, Object> response(ChatResponse r) {
    Map<String, Object> choice = ChatShape.choice(0, r.aiMessage() == null ? null : assistant(r.aiMessage()),
        finishReason(r.finishReason()));
    return ChatShape.completion(r.id(), r.modelName(), List.of(choice), counts(r.tokenUsage()));
  }

  private static String finishReason(FinishReason f) {
    if (f == null) return null;
    switch (f.name()) {
      case "STOP": return "stop";
      case "LENGTH": return "length";
      case "TOOL_EXECUTION": return "tool_calls";
      case "CONTENT_FILTER": return "content_filter";
      default: return f.name().toLowerCase(Locale.ROOT);
    }
  }

  /** Tokens by model, the response's model, else the request's: null when the provider gave none. */
  static Map<String, Map<String, Long>> usage(ChatRequest request, ChatResponse response) {
    String model = response.modelName();
    if (model == null && request.parameters() != null) model = request.parameters().modelName();
    return ChatShape.usage(model, counts(response.tokenUsage()));
  }

  private static Map<String, Long> counts(TokenUsage u) {
    return u == null ? null : ChatShape.counts(u.inputTokenCount(), u.outputTokenCount(), u.totalTokenCount(), cachedTokens(u));
  }

  /**
   * Cached prompt tokens, where a provider's subclass of TokenUsage reports them (OpenAI's
   * {@code inputTokensDetails().cachedTokens()}, Anthropic's {@code cacheReadInputTokens()}):
   * read by name, since those classes live in the providers' modules.
   */
  private static Integer cachedTokens(TokenUsage u) {
    if (u.getClass() == TokenUsage.class) return null;
    try {
      Object details = getter(u, "inputTokensDetails");
      Object cached = details != null ? getter(details, "cachedTokens") : getter(u, "cacheReadInputTokens");
      return cached instanceof Integer ? (Integer) cached : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  private static Object getter(Object o, String name) throws ReflectiveOperationException {
    Method m;
    try {
      m = o.getClass().getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
    return m.invoke(o);
  }

  /**
   * The provider, by OpenTelemetry's {@code gen_ai.provider.name} where it names one, else
   * LangChain4j's own name in lower case; by name, so providers added later still map.
   */
  static String provider(Enum<?> modelProvider) {
    if (modelProvider == null) return "langchain4j";
    switch (modelProvider.name()) {
      case "OPEN_AI": return "openai";
      case "ANTHROPIC": return "anthropic";
      case "AZURE_OPEN_AI": return "azure.ai.openai";
      case "MICROSOFT_FOUNDRY": return "azure.ai.inference";
      case "AMAZON_BEDROCK": return "aws.bedrock";
      case "GOOGLE_AI_GEMINI": return "gcp.gemini";
      case "GOOGLE_VERTEX_AI_GEMINI": return "gcp.vertex_ai";
      case "MISTRAL_AI": return "mistral_ai";
      case "WATSONX": return "ibm.watsonx.ai";
      case "COHERE": return "cohere";
      case "OTHER": return "langchain4j";
      default: return modelProvider.name().toLowerCase(Locale.ROOT);
    }
  }
}
