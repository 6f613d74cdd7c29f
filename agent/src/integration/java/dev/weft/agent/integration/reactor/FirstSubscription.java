package dev.weft.agent.integration.reactor;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.Orphans;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import reactor.core.CorePublisher;
import reactor.core.CoreSubscriber;

/**
 * The one subscription of a traced publisher that its call follows: the first. What it emits
 * becomes the call's output (a Mono's value; for a Flux, how many and the first few); its
 * error, the call's exception; a cancel, an output that says so. A publisher never subscribed
 * ends its call when it is garbage collected or the JVM exits, with output
 * {@code {"subscribed": false}} ({@link Orphans}).
 */
final class FirstSubscription {
  private static final int FIRST = 5;
  private static final AtomicIntegerFieldUpdater<FirstSubscription> CLAIMED =
      AtomicIntegerFieldUpdater.newUpdater(FirstSubscription.class, "claimed");

  final Call call;
  private final boolean mono;
  private volatile int claimed;
  private Orphans.Watch waiting;
  private long count;
  private Object value;
  private List<Object> first;

  FirstSubscription(Call call, boolean mono) {
    this.call = call;
    this.mono = mono;
  }

  /** Ends the call if {@code publisher} is collected, or the JVM exits, before anyone subscribed. */
  void watch(Object publisher) {
    waiting = Orphans.watch(publisher, this::neverSubscribed);
  }

  /**
   * Subscribes {@code actual} to {@code source}: the first subscriber in the call, its signals
   * ending it; later ones as if untraced.
   */
  <T> void subscribe(CorePublisher<? extends T> source, CoreSubscriber<? super T> actual) {
    if (!claim()) {
      source.subscribe(actual);
      return;
    }
    // In the call: what the subscription starts or schedules now belongs to it.
    try (Calls.Scoped inCall = Calls.makeCurrent(call)) {
      source.subscribe(new TracedSubscriber<>(actual, this));
    }
  }

  /** Whether the caller is the first subscriber, whose signals end the call. */
  private boolean claim() {
    if (claimed != 0 || !CLAIMED.compareAndSet(this, 0, 1)) return false;
    waiting.forget();
    return true;
  }

  void neverSubscribed() {
    if (!CLAIMED.compareAndSet(this, 0, 1)) return;
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("subscribed", false);
    Calls.finish(call, output, null);
  }

  synchronized void next(Object v) {
    if (count++ == 0) value = v;
    if (!mono && count <= FIRST) {
      if (first == null) first = new ArrayList<>(FIRST);
      first.add(v);
    }
  }

  void error(Throwable e) {
    Calls.finish(call, null, e);
  }

  void complete() {
    Calls.finish(call, output(false), null);
  }

  void cancel() {
    Calls.finish(call, output(true), null);
  }

  private synchronized Object output(boolean cancelled) {
    if (mono && !cancelled) return value;
    Map<String, Object> out = new LinkedHashMap<>();
    if (!mono) {
      out.put("count", count);
      out.put("first", first == null ? List.of() : new ArrayList<>(first));
    }
    if (cancelled) out.put("cancelled", true);
    return out;
  }
}
