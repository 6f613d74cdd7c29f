package dev.weft.agent.export.weave;

import dev.weft.wire.client.Link;
import dev.weft.wire.client.Links;
import dev.weft.wire.client.Outcome;

/**
 * When the agent tries a request again: after 0.25, 0.5, 1, 2 and 4 s; not at all once the JVM
 * is exiting (what fails then goes to the spool at once), and not while the server is away: once
 * one request found it unreachable after all its retries, each later one is tried once and
 * spooled, until one gets through. Pauses end early when the JVM starts to exit.
 */
final class Backoff implements Links.Backoff {
  private static final long[] PAUSES_MS = {250, 500, 1000, 2000, 4000};

  private final Object lock = new Object();
  private volatile boolean stopped;
  private volatile boolean away;

  /** The link, just outside the retries, that learns whether the server is away. */
  Link watch() {
    return (r, next) -> {
      Outcome o = next.send(r);
      away = o.is(Outcome.Kind.RETRY_LATER) && o.status == 0; // no answer at all
      return o;
    };
  }

  @Override
  public boolean pause(int attempt) {
    if (attempt >= PAUSES_MS.length) return false;
    synchronized (lock) {
      try {
        if (!stopped && !away) lock.wait(PAUSES_MS[attempt]);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return !stopped && !away;
  }

  /** No more retries: the JVM is exiting. */
  void stop() {
    stopped = true;
    synchronized (lock) {
      lock.notifyAll();
    }
  }
}
