package dev.weft.agent.integration.reactor;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
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
 * {@code {"subscribed": false}}: until its first subscription, a phantom reference to it waits
 * in a list, which a daemon thread and the exit both go over.
 */
final class FirstSubscription {
  private static final int FIRST = 5;
  private static final AtomicIntegerFieldUpdater<FirstSubscription> CLAIMED =
      AtomicIntegerFieldUpdater.newUpdater(FirstSubscription.class, "claimed");

  final Call call;
  private final boolean mono;
  private volatile int claimed;
  private Unsubscribed waiting;
  private long count;
  private Object value;
  private List<Object> first;

  FirstSubscription(Call call, boolean mono) {
    this.call = call;
    this.mono = mono;
  }

  /** Ends the call if {@code publisher} is collected, or the JVM exits, before anyone subscribed. */
  void watch(Object publisher) {
    waiting = Unsubscribed.add(publisher, this);
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
    Unsubscribed.remove(waiting);
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

  /** Publishers not subscribed yet: a doubly linked list of phantom references, under one lock. */
  static final class Unsubscribed extends PhantomReference<Object> {
    private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
    private static final Unsubscribed HEAD = new Unsubscribed();
    private Unsubscribed prev = this, next = this;
    private final FirstSubscription subscription;

    static {
      Thread reaper = new Thread(() -> {
        while (true) {
          try {
            Unsubscribed u = (Unsubscribed) COLLECTED.remove();
            remove(u);
            u.subscription.neverSubscribed();
          } catch (InterruptedException e) {
            return;
          } catch (Throwable t) {
            // never let the reaper die: the next publisher may still need it
          }
        }
      }, "weft-reactor-unsubscribed");
      reaper.setDaemon(true);
      reaper.start();
      Calls.atExit(() -> {
        List<FirstSubscription> left = new ArrayList<>();
        synchronized (HEAD) {
          for (Unsubscribed u = HEAD.next; u != HEAD; u = u.next) left.add(u.subscription);
        }
        for (FirstSubscription s : left) s.neverSubscribed();
      });
    }

    private Unsubscribed() {
      super(null, null);
      subscription = null;
    }

    private Unsubscribed(Object publisher, FirstSubscription subscription) {
      super(publisher, COLLECTED);
      this.subscription = subscription;
    }

    static Unsubscribed add(Object publisher, FirstSubscription subscription) {
      Unsubscribed u = new Unsubscribed(publisher, subscription);
      synchronized (HEAD) {
        u.next = HEAD.next;
        u.prev = HEAD;
        HEAD.next.prev = u;
        HEAD.next = u;
      }
      return u;
    }

    static void remove(Unsubscribed u) {
      if (u == null) return;
      synchronized (HEAD) {
        if (u.next == u) return; // removed already
        u.prev.next = u.next;
        u.next.prev = u.prev;
        u.next = u.prev = u;
      }
    }
  }
}
