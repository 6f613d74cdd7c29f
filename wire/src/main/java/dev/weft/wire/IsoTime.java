package dev.weft.wire;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Timestamps as Weave writes them: ISO-8601 UTC with a {@code Z}, as {@link Instant#toString()}
 * writes them at microsecond precision (fraction in groups of three digits, none when zero).
 * Formatted by hand: exporters and readers write two per call.
 */
public final class IsoTime {
  private IsoTime() {}

  public static String ofEpochMicros(long micros) {
    long seconds = Math.floorDiv(micros, 1_000_000L);
    int fraction = (int) Math.floorMod(micros, 1_000_000L);
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    if (date.getYear() < 0 || date.getYear() > 9999) {
      return Instant.ofEpochSecond(seconds, fraction * 1_000L).toString();
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
    if (fraction != 0) {
      c[n++] = '.';
      n = fraction % 1000 == 0 ? pad(c, n, fraction / 1000, 3) : pad(c, n, fraction, 6);
    }
    c[n++] = 'Z';
    return new String(c, 0, n);
  }

  public static String ofEpochNanos(long nanos) {
    return ofEpochMicros(Math.floorDiv(nanos, 1_000L));
  }

  private static int pad(char[] c, int at, int value, int width) {
    for (int i = width - 1; i >= 0; i--) {
      c[at + i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return at + width;
  }
}
