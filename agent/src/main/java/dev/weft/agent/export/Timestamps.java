package dev.weft.agent.export;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC timestamps with microseconds, as Weave stores them. */
public final class Timestamps {
  private Timestamps() {}

  public static String iso(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    long micros = Math.floorMod(epochNanos, 1_000_000_000L) / 1_000;
    return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, micros * 1_000));
  }
}
