package dev.weft.agent.integration.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoOperator;

/** A traced method's Mono: its first subscription runs in the call and ends it. */
final class TracedMono<T> extends MonoOperator<T, T> {
  private final FirstSubscription trace;

  TracedMono(Mono<? extends T> source, FirstSubscription trace) {
    super(source);
    this.trace = trace;
    trace.watch(this);
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    trace.subscribe(source, actual);
  }
}
