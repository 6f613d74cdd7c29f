package dev.weft.agent.base;

import dev.weft.agent.base.Log;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's own failures: caught everywhere, counted, and logged once per cause, so that a bug
 * of ours costs the app a log line and never an exception or a flood of output.
 */
public final class Failures {
  private static final AtomicLong COUNT = new AtomicLong();
  private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

  private Failures() {}

  public static void report(String where, Throwable t) {
    COUNT.incrementAndGet();
    String cause = where + ": " + t.getClass().getName();
    if (SEEN.size() < 1000 && SEEN.add(cause)) {
      Log.warn("internal failure in " + cause + ": " + t.getMessage()
          + " (reported once; the app is not affected)");
      if (Log.debugEnabled()) t.printStackTrace();
    }
  }

  public static long count() {
    return COUNT.get();
  }
}
