package dev.weft.agent.base;

/**
 * Wall-clock time in epoch nanoseconds from {@link System#nanoTime()}, anchored once: no
 * allocation per reading, and durations are monotonic (as in OpenTelemetry's anchored clock).
 */
public final class Clock {
  private static final long ANCHOR_EPOCH_NANOS;
  private static final long ANCHOR_NANO_TIME;

  static {
    java.time.Instant now = java.time.Instant.now();
    ANCHOR_NANO_TIME = System.nanoTime();
    ANCHOR_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  private Clock() {}

  public static long nowEpochNanos() {
    return ANCHOR_EPOCH_NANOS + (System.nanoTime() - ANCHOR_NANO_TIME);
  }
}
