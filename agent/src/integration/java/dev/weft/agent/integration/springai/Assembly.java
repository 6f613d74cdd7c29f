package dev.weft.agent.integration.springai;

import dev.weft.agent.integration.ChatShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.metadata.ChatResponseMetadata;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;

/**
 * A streamed reply put together from its chunks as they pass: its text, tool calls, finish reason
 * and usage. A chunk of a shape not foreseen is passed over: the stream is the app's.
 */
final class Assembly {
  private final StringBuilder text = new StringBuilder();
  private final List<AssistantMessage.ToolCall> toolCalls = new ArrayList<>();
  private ChatResponse last;
  private ChatResponse withUsage;
  private String finishReason;

  synchronized void take(ChatResponse chunk) {
    if (chunk == null) return;
    try {
      last = chunk;
      if (chunk.getMetadata() != null && Prompts.counts(chunk.getMetadata().getUsage()) != null) withUsage = chunk;
      Generation g = chunk.getResult();
      if (g == null) return;
      AssistantMessage m = g.getOutput();
      if (m != null && m.getText() != null) text.append(m.getText());
      if (m != null && m.getToolCalls() != null) toolCalls.addAll(m.getToolCalls());
      String reason = g.getMetadata() == null ? null : g.getMetadata().getFinishReason();
      if (reason != null && !reason.isEmpty()) finishReason = reason.toLowerCase(Locale.ROOT);
    } catch (RuntimeException e) {
      // The call keeps what it saw.
    }
  }

  synchronized String text() {
    return text.toString();
  }

  /** Tokens by model, from the chunk that carried them (a stream's last, usually); null without. */
  synchronized Map<String, Map<String, Long>> usage(String requestModel) {
    return withUsage == null ? null : Prompts.usage(withUsage, requestModel);
  }

  /** The reply as one chat completion, with the usage of {@link #usage}. */
  synchronized Map<String, Object> completion(Map<String, Map<String, Long>> usage) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("role", "assistant");
    message.put("content", text.toString());
    if (!toolCalls.isEmpty()) message.put("tool_calls", Prompts.toolCalls(toolCalls));
    ChatResponseMetadata meta = last == null ? null : last.getMetadata();
    return ChatShape.completion(meta == null ? null : meta.getId(), meta == null ? null : meta.getModel(),
        List.of(ChatShape.choice(0, message, finishReason)), usage == null ? null : usage.values().iterator().next());
  }
}
