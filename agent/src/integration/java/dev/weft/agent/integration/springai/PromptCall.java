package dev.weft.agent.integration.springai;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.llm.Frame;
import dev.weft.agent.llm.LlmCalls;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.ChatOptions;
import org.springframework.ai.chat.prompt.Prompt;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/**
 * One prompt a {@code ChatModel} was given. Through {@code call(Prompt)} it is one model call,
 * sent now ({@link #send}); through {@code stream(Prompt)}, each subscription of the Flux sends it,
 * so each is one model call, from the subscription to the stream's end (complete, error or
 * cancel), under the call that asked for the stream, with the chunks put together into one reply
 * ({@link #traced}).
 */
final class PromptCall {
  private final String op;
  private final String provider;
  private final Prompt prompt;
  private final ChatOptions defaults;
  private final Call parent = Calls.current();
  private Frame sending;

  PromptCall(String op, String provider, Prompt prompt, ChatOptions defaults) {
    this.op = op;
    this.provider = provider;
    this.prompt = prompt;
    this.defaults = defaults;
  }

  /** call(Prompt) is about to send: false when it is not traced. */
  boolean send() {
    sending = LlmCalls.frame(SpringAiModels.INTEGRATION, op, provider);
    if (sending == null) return false;
    sending.enter();
    return true;
  }

  /** Whether this is a call(Prompt) being sent (else a stream, which sends when subscribed). */
  boolean sending() {
    return sending != null;
  }

  /** call(Prompt) returned {@code response}, or threw {@code error}. */
  void sent(ChatResponse response, Throwable error) {
    sending.leave();
    Map<String, Object> request = Prompts.request(prompt, defaults);
    sending.end(request, response == null ? null : Prompts.response(response),
        response == null ? null : Prompts.usage(response, (String) request.get("model")), error);
  }

  Flux<ChatResponse> traced(Flux<ChatResponse> source) {
    return new FluxOperator<ChatResponse, ChatResponse>(source) {
      @Override
      public void subscribe(CoreSubscriber<? super ChatResponse> actual) {
        // Made current while subscribing: the request goes out now, maybe through a provider SDK
        // whose exchange then is the call (the frame is covered).
        Calls.Scoped scope = parent == null ? null : Calls.makeCurrent(parent);
        try {
          Frame frame = LlmCalls.frame(SpringAiModels.INTEGRATION, op, provider);
          if (frame == null) {
            source.subscribe(actual);
            return;
          }
          Assembly reply = new Assembly();
          AtomicBoolean ended = new AtomicBoolean();
          SpringAiModels.SENDING.set(Boolean.TRUE);
          frame.enter();
          try {
            source.doOnNext(reply::take)
                .doOnError(e -> streamed(frame, reply, ended, e, false))
                .doOnComplete(() -> streamed(frame, reply, ended, null, false))
                .doOnCancel(() -> streamed(frame, reply, ended, null, true))
                .subscribe(actual);
          } finally {
            frame.leave();
            SpringAiModels.SENDING.remove();
          }
        } finally {
          if (scope != null) scope.close();
        }
      }
    };
  }

  private void streamed(Frame frame, Assembly reply, AtomicBoolean ended, Throwable error, boolean cancelled) {
    if (!ended.compareAndSet(false, true)) return;
    Map<String, Object> request = Prompts.request(prompt, defaults);
    request.put("stream", true);
    Map<String, Map<String, Long>> usage = reply.usage((String) request.get("model"));
    Map<String, Object> completion = reply.completion(usage);
    if (cancelled) completion.put("cancelled", true);
    frame.end(request, error == null ? completion : null, usage, error);
  }
}
