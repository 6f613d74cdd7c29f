package dev.weft.agent.integration.langchain4j;

import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.weft.agent.bootstrap.Orphans;
import dev.weft.agent.llm.Frame;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/** One model call of LangChain4j's, ended once: when doChat returns or throws, or its stream ends. */
final class ModelCall {
  final Frame frame;
  final boolean streaming;
  private final ChatRequest request;
  private final AtomicBoolean ended = new AtomicBoolean();
  private Orphans.Watch watch;

  ModelCall(Frame frame, ChatRequest request, boolean streaming) {
    this.frame = frame;
    this.request = request;
    this.streaming = streaming;
  }

  void end(ChatResponse response, Throwable error) {
    if (!ended.compareAndSet(false, true)) return;
    if (watch != null) watch.forget();
    frame.end(request(), response == null ? null : Conversation.response(response),
        response == null ? null : Conversation.usage(request, response), error);
  }

  private Map<String, Object> request() {
    Map<String, Object> out = Conversation.request(request);
    if (streaming) out.put("stream", true);
    return out;
  }

  /** The provider dropped the stream's handler without ending it (a cancelled stream). */
  private void abandoned() {
    if (ended.compareAndSet(false, true)) {
      frame.end(request(), Map.of("abandoned", true), null, null);
    }
  }

  /**
   * {@code handler}, in a proxy that ends the call on the complete response or the error, then
   * passes every event on as it came. A proxy rather than a class of ours: it passes on the
   * events later LangChain4j versions add to the interface too, to the handler's own methods.
   */
  StreamingChatResponseHandler handler(StreamingChatResponseHandler handler) {
    InvocationHandler ending = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        switch (method.getName()) {
          case "equals": return proxy == args[0];
          case "hashCode": return System.identityHashCode(proxy);
          default: return "traced " + handler;
        }
      }
      if (args != null && args.length == 1) {
        if (method.getName().equals("onCompleteResponse") && args[0] instanceof ChatResponse) end((ChatResponse) args[0], null);
        else if (method.getName().equals("onError") && args[0] instanceof Throwable) end(null, (Throwable) args[0]);
      }
      try {
        return method.invoke(handler, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    StreamingChatResponseHandler proxy = (StreamingChatResponseHandler) Proxy.newProxyInstance(
        StreamingChatResponseHandler.class.getClassLoader(), new Class<?>[] {StreamingChatResponseHandler.class}, ending);
    watch = Orphans.watch(proxy, this::abandoned);
    return proxy;
  }
}
