package dev.weft.agent.integration.springai;

import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.integration.ChatShape;
import dev.weft.agent.llm.LlmCalls;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.publisher.Flux;

/**
 * Spring AI's model calls: a {@code ChatModel}'s {@code call(Prompt)} is one LLM call,
 * {@code spring_ai.<ModelClass>.call}; each subscription of the Flux its {@code stream(Prompt)}
 * returns is one, {@code spring_ai.<ModelClass>.stream}, ending with the stream (see
 * {@link PromptCall}). Recorded from Spring AI's own prompt and response (see {@link Prompts})
 * unless the provider's SDK exchange inside it is the call (Spring AI 2's OpenAI model, over the
 * OpenAI SDK).
 */
public final class SpringAiModels implements Integrations.Models {
  static final String INTEGRATION = "spring_ai";
  /** Set while a model call sends: a model delegating to another is one call. */
  static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  @Override
  public Object enter(Object target, String method, Object[] args) {
    if (SENDING.get() != null || !(args[0] instanceof Prompt)) return null;
    ChatModel model = (ChatModel) target;
    PromptCall call = new PromptCall(ChatShape.op(INTEGRATION, model.getClass(), method),
        Prompts.provider(model.getClass()), (Prompt) args[0], defaults(model));
    if (method.equals("stream") ? !LlmCalls.on(INTEGRATION) : !call.send()) return null;
    SENDING.set(Boolean.TRUE); // a model whose call or stream builds on another's is one model call
    return call;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object exit(Object state, Object returned, Throwable thrown) {
    SENDING.remove();
    PromptCall call = (PromptCall) state;
    if (call.sending()) {
      call.sent(returned instanceof ChatResponse ? (ChatResponse) returned : null, thrown);
      return returned;
    }
    return returned instanceof Flux && thrown == null ? call.traced((Flux<ChatResponse>) returned) : returned;
  }

  /**
   * The model's default options, which fill in what a prompt leaves out (its model, above all);
   * {@code getDefaultOptions} is deprecated in Spring AI 2 for {@code getOptions}, which 1.1 lacks,
   * and a later version may drop it.
   */
  @SuppressWarnings("deprecation")
  static ChatOptions defaults(ChatModel model) {
    try {
      return model.getDefaultOptions();
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }
}
