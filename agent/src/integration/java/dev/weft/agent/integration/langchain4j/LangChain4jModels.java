package dev.weft.agent.integration.langchain4j;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.integration.ChatShape;
import dev.weft.agent.llm.Frame;
import dev.weft.agent.llm.LlmCalls;

/**
 * LangChain4j's model calls: each {@code doChat} of a {@code ChatModel} or
 * {@code StreamingChatModel} provider is one LLM call, {@code langchain4j.<ModelClass>.chat},
 * recorded from LangChain4j's own request and response (see {@link Conversation}) unless the
 * provider's SDK exchange inside it is the call (langchain4j-open-ai-official over the OpenAI SDK).
 * A stream's call ends when its handler hears the complete response or the error, on whichever
 * thread (see {@link ModelCall#handler}).
 */
public final class LangChain4jModels implements Integrations.Models {
  static final String INTEGRATION = "langchain4j";
  /** Set while a model call sends: a provider whose doChat delegates to another's is one call. */
  private static final ThreadLocal<Boolean> SENDING = new ThreadLocal<>();

  @Override
  public Object enter(Object target, String method, Object[] args) {
    if (SENDING.get() != null || args.length == 0 || !(args[0] instanceof ChatRequest)) return null;
    int handler = handler(args);
    Enum<?> provider = handler > 0 ? ((StreamingChatModel) target).provider() : ((ChatModel) target).provider();
    Frame frame = LlmCalls.frame(INTEGRATION, ChatShape.op(INTEGRATION, target.getClass(), "chat"), Conversation.provider(provider));
    if (frame == null) return null;
    ModelCall call = new ModelCall(frame, (ChatRequest) args[0], handler > 0);
    if (handler > 0) args[handler] = call.handler((StreamingChatResponseHandler) args[handler]);
    SENDING.set(Boolean.TRUE);
    frame.enter();
    return call;
  }

  /** Where a streaming doChat takes its handler; 0 for a ChatModel's doChat, which has none. */
  private static int handler(Object[] args) {
    for (int i = 1; i < args.length; i++) {
      if (args[i] instanceof StreamingChatResponseHandler) return i;
    }
    return 0;
  }

  @Override
  public Object exit(Object state, Object returned, Throwable thrown) {
    ModelCall call = (ModelCall) state;
    call.frame.leave();
    SENDING.remove();
    // A stream's call goes on until its handler hears the end, unless sending it failed.
    if (!call.streaming || thrown != null) call.end(returned instanceof ChatResponse ? (ChatResponse) returned : null, thrown);
    return returned;
  }
}
