package dev.weft.agent.integration.reactor;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.util.context.Context;

/** Passes a traced publisher's signals on, telling its call of each first. */
final class TracedSubscriber<T> implements CoreSubscriber<T>, Subscription {
  private final CoreSubscriber<? super T> actual;
  private final FirstSubscription trace;
  private Subscription upstream;

  TracedSubscriber(CoreSubscriber<? super T> actual, FirstSubscription trace) {
    this.actual = actual;
    this.trace = trace;
  }

  @Override
  public Context currentContext() {
    return actual.currentContext();
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    actual.onSubscribe(this);
  }

  @Override
  public void onNext(T t) {
    trace.next(t);
    actual.onNext(t);
  }

  @Override
  public void onError(Throwable e) {
    trace.error(e);
    actual.onError(e);
  }

  @Override
  public void onComplete() {
    trace.complete();
    actual.onComplete();
  }

  @Override
  public void request(long n) {
    upstream.request(n);
  }

  @Override
  public void cancel() {
    trace.cancel();
    upstream.cancel();
  }
}
