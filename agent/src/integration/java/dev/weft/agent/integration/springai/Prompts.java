package dev.weft.agent.integration.springai;

import static dev.weft.agent.integration.ChatShape.put;

import dev.weft.agent.integration.ChatShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.ToolResponseMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.metadata.Usage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.model.tool.ToolCallingChatOptions;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * Spring AI's prompts and responses as an LLM call's inputs, output and usage: small maps in
 * OpenAI's chat-completion shape whatever the provider (role-labelled messages with their tool
 * calls and results, tools, options; the replies as choices), so every model call reads the same
 * in a trace. Only Spring AI's public types are read.
 */
final class Prompts {
  private Prompts() {}

  /** The prompt: model, messages, tools and options; the model's default options fill what the prompt leaves out. */
  static Map<String, Object> request(Prompt prompt, ChatOptions defaults) {
    Map<String, Object> out = new LinkedHashMap<>();
    ChatOptions o = prompt.getOptions() != null ? prompt.getOptions() : defaults;
    String model = o == null ? null : o.getModel();
    if (model == null && defaults != null) model = defaults.getModel();
    put(out, "model", model);
    out.put("messages", messages(prompt.getInstructions()));
    if (o == null) return out;
    if (o instanceof ToolCallingChatOptions) {
      List<ToolCallback> callbacks = ((ToolCallingChatOptions) o).getToolCallbacks();
      if (callbacks != null && !callbacks.isEmpty()) {
        List<Map<String, Object>> tools = new ArrayList<>();
        for (ToolCallback t : callbacks) tools.add(tool(t));
        out.put("tools", tools);
      }
    }
    ChatShape.parameters(out, o.getTemperature(), o.getTopP(), o.getTopK(), o.getFrequencyPenalty(),
        o.getPresencePenalty(), o.getMaxTokens(), o.getStopSequences());
    return out;
  }

  static List<Map<String, Object>> messages(List<Message> messages) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Message m : messages) {
      if (m instanceof ToolResponseMessage) {
        // One message per tool result, as OpenAI's wire has them.
        for (ToolResponseMessage.ToolResponse r : ((ToolResponseMessage) m).getResponses()) {
          Map<String, Object> tool = new LinkedHashMap<>();
          tool.put("role", "tool");
          put(tool, "tool_call_id", r.id());
          put(tool, "name", r.name());
          tool.put("content", r.responseData());
          out.add(tool);
        }
      } else {
        out.add(message(m));
      }
    }
    return out;
  }

  /** One message, by OpenAI's roles: system, user, assistant (with tool calls). */
  private static Map<String, Object> message(Message m) {
    if (m instanceof AssistantMessage) return assistant((AssistantMessage) m);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("role", m.getMessageType() == null ? "unknown" : m.getMessageType().getValue());
    out.put("content", m.getText());
    if (m instanceof UserMessage && !((UserMessage) m).getMedia().isEmpty()) {
      List<String> media = new ArrayList<>();
      ((UserMessage) m).getMedia().forEach(x -> media.add(String.valueOf(x.getMimeType())));
      out.put("media", media);
    }
    return out;
  }

  static Map<String, Object> assistant(AssistantMessage m) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("role", "assistant");
    out.put("content", m.getText());
    if (m.getToolCalls() != null && !m.getToolCalls().isEmpty()) out.put("tool_calls", toolCalls(m.getToolCalls()));
    return out;
  }

  static List<Map<String, Object>> toolCalls(List<AssistantMessage.ToolCall> calls) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (AssistantMessage.ToolCall c : calls) out.add(ChatShape.toolCall(c.id(), c.type(), c.name(), c.arguments()));
    return out;
  }

  /** A tool offered, its parameters' JSON schema as the text Spring AI keeps it in. */
  private static Map<String, Object> tool(ToolCallback t) {
    ToolDefinition d = t.getToolDefinition();
    return ChatShape.tool(d.name(), d.description(), d.inputSchema());
  }

  /** The response as one chat completion: a choice per generation, and the usage. */
  static Map<String, Object> response(ChatResponse r) {
    List<Map<String, Object>> choices = new ArrayList<>();
    for (Generation g : r.getResults()) {
      choices.add(ChatShape.choice(choices.size(), g.getOutput() == null ? null : assistant(g.getOutput()),
          g.getMetadata() == null ? null : finishReason(g.getMetadata().getFinishReason())));
    }
    ChatResponseMetadata meta = r.getMetadata();
    return meta == null ? ChatShape.completion(null, null, choices, null)
        : ChatShape.completion(meta.getId(), meta.getModel(), choices, counts(meta.getUsage()));
  }

  /** Spring AI passes the provider's reason on (OpenAI's {@code STOP}, Anthropic's {@code end_turn}): in lower case. */
  private static String finishReason(String reason) {
    return reason == null || reason.isEmpty() ? null : reason.toLowerCase(Locale.ROOT);
  }

  /** Tokens by model, the response's model, else {@code model}: null when the provider gave none. */
  static Map<String, Map<String, Long>> usage(ChatResponse r, String model) {
    ChatResponseMetadata meta = r.getMetadata();
    if (meta == null) return null;
    String responseModel = meta.getModel() == null || meta.getModel().isEmpty() ? model : meta.getModel();
    return ChatShape.usage(responseModel, counts(meta.getUsage()));
  }

  /** A response's token counts (see {@link ChatShape#counts}); null for none, as Spring AI's empty usage (zeros) is. */
  static Map<String, Long> counts(Usage u) {
    return u == null ? null : ChatShape.counts(u.getPromptTokens(), u.getCompletionTokens(), u.getTotalTokens(), null);
  }

  /**
   * The provider of a Spring AI model, from its class name ({@code OpenAiChatModel} →
   * {@code openai}), by OpenTelemetry's {@code gen_ai.provider.name} where it names one.
   */
  static String provider(Class<?> model) {
    String name = model.getSimpleName().replace("ChatModel", "").toLowerCase(Locale.ROOT);
    switch (name) {
      case "azureopenai": return "azure.ai.openai";
      case "bedrockproxy": case "bedrockconverse": return "aws.bedrock";
      case "vertexaigemini": return "gcp.vertex_ai";
      case "googlegenai": return "gcp.gemini";
      case "mistralai": return "mistral_ai";
      case "": return "spring_ai";
      default: return name;
    }
  }

}
