package dev.weft.agent.integration.reactor;

import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;

/** A traced method's Flux: its first subscription runs in the call and ends it. */
final class TracedFlux<T> extends FluxOperator<T, T> {
  private final FirstSubscription trace;

  TracedFlux(Flux<? extends T> source, FirstSubscription trace) {
    super(source);
    this.trace = trace;
    trace.watch(this);
  }

  @Override
  public void subscribe(CoreSubscriber<? super T> actual) {
    trace.subscribe(source, actual);
  }
}
