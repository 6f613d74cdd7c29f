package dev.weft.agent.export;


/** ISO-8601 UTC timestamps with microseconds, as Weave stores them. */
public final class Timestamps {
  private Timestamps() {}

  public static String iso(long epochNanos) {
    return dev.weft.wire.IsoTime.ofEpochNanos(epochNanos);
  }
}
