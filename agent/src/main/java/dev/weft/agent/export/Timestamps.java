package dev.weft.agent.export;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** ISO-8601 UTC timestamps with microseconds, as Weave stores them. */
public final class Timestamps {
  private Timestamps() {}

  /** As {@code Instant.toString()} at microsecond precision, formatted by hand: two per call. */
  public static String iso(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
    int micros = (int) (Math.floorMod(epochNanos, 1_000_000_000L) / 1_000);
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, micros * 1_000L));
    }
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    char[] c = new char[27];
    int n = pad(c, 0, date.getYear(), 4);
    c[n++] = '-';
    n = pad(c, n, date.getMonthValue(), 2);
    c[n++] = '-';
    n = pad(c, n, date.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = pad(c, n, secondOfDay / 3600, 2);
    c[n++] = ':';
    n = pad(c, n, secondOfDay / 60 % 60, 2);
    c[n++] = ':';
    n = pad(c, n, secondOfDay % 60, 2);
    if (micros != 0) {
      c[n++] = '.';
      n = micros % 1000 == 0 ? pad(c, n, micros / 1000, 3) : pad(c, n, micros, 6);
    }
    c[n++] = 'Z';
    return new String(c, 0, n);
  }

  private static int pad(char[] c, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      c[at + i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
