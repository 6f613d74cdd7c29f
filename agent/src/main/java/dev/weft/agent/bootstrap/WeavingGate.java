package dev.weft.agent.bootstrap;

/**
 * Holds the first calls while the JDK classes loaded before the agent (Thread, Runtime) are
 * woven on a second thread, so a thread started in a call nests under it. Until a call is open
 * there is no context to hand off, so nothing is missed meanwhile. Never holds a call longer
 * than {@link #MAX_WAIT_NANOS}: the app must not hang on the agent.
 */
public final class WeavingGate {
  static final long MAX_WAIT_NANOS = 2_000_000_000L;
  private static final Object LOCK = new Object();
  private static volatile boolean weaving;

  private WeavingGate() {}

  public static void close() {
    weaving = true;
  }

  public static void open() {
    synchronized (LOCK) {
      weaving = false;
      LOCK.notifyAll();
    }
  }

  /** Returns at once when weaving is done (one volatile read); else waits for it, within the limit. */
  public static void pass() {
    if (weaving) await(MAX_WAIT_NANOS);
  }

  static void await(long maxNanos) {
    long deadline = System.nanoTime() + maxNanos;
    synchronized (LOCK) {
      for (long left; weaving && (left = deadline - System.nanoTime()) > 0; ) {
        try {
          LOCK.wait(left / 1_000_000 + 1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt(); // the app's to handle; the call goes on
          return;
        }
      }
    }
  }
}
