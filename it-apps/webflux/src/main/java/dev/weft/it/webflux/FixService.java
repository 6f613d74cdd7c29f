package dev.weft.it.webflux;

import dev.weft.Traced;
import java.time.Duration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

@Service
public class FixService {
  private final WebClient upstream;

  public FixService(WebClient.Builder builder, @Value("${upstream.url}") String upstreamUrl) {
    this.upstream = builder.baseUrl(upstreamUrl).build();
  }

  /** Asks the upstream server: the call lasts as long as that request. */
  @Traced
  public Mono<String> diagnose(String id) {
    return upstream.get().uri("/diagnosis/{id}", id).retrieve().bodyToMono(String.class);
  }

  /** Blocking work, so it runs on boundedElastic, not on the event loop. */
  @Traced
  public Mono<String> patch(String id) {
    return Mono.fromCallable(() -> writePatch(id)).subscribeOn(Schedulers.boundedElastic());
  }

  @Traced
  public String writePatch(String id) throws InterruptedException {
    Thread.sleep(30);
    return "patch-" + id;
  }

  @Traced
  public Flux<String> steps(int n) {
    return Flux.range(1, n).delayElements(Duration.ofMillis(20)).map(i -> "step-" + i);
  }
}
