package dev.weft.agent.integration.springai;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.Orphans;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.ai.chat.client.ChatClientResponse;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Mono;

/**
 * A ChatClient's stream: its call runs the stream's subscriptions (the model call nests under
 * it), lasts until the first one ends, and has the reply's text as output, as a {@code call()}
 * has, rather than the chunks. It ends through Weft's Reactor support, as a Mono of that text;
 * a stream never subscribed ends the call when it is collected or at exit.
 */
final class ClientStream {
  private ClientStream() {}

  @SuppressWarnings("unchecked")
  static Flux<ChatClientResponse> traced(Call call, Flux<ChatClientResponse> source) {
    CompletableFuture<Object> reply = new CompletableFuture<>();
    Object ending = Calls.exitPublisher(call, Mono.fromFuture(reply), null);
    if (ending instanceof Mono) ((Mono<Object>) ending).subscribe(v -> {}, e -> {});
    Assembly assembly = new Assembly();
    Flux<ChatClientResponse> traced = new FluxOperator<ChatClientResponse, ChatClientResponse>(source) {
      @Override
      public void subscribe(CoreSubscriber<? super ChatClientResponse> actual) {
        try (Calls.Scoped scope = Calls.makeCurrent(call)) {
          source.doOnNext(r -> assembly.take(r.chatResponse()))
              .doOnError(reply::completeExceptionally)
              .doOnComplete(() -> reply.complete(assembly.text()))
              .doOnCancel(() -> {
                Map<String, Object> partial = new LinkedHashMap<>();
                partial.put("content", assembly.text());
                partial.put("cancelled", true);
                reply.complete(partial);
              })
              .subscribe(actual);
        }
      }
    };
    Orphans.Watch watch = Orphans.watch(traced, () -> reply.complete(Map.of("subscribed", false)));
    reply.whenComplete((v, e) -> watch.forget());
    return traced;
  }
}
