package dev.weft.server.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Reading typed fields out of request bodies, with 422 errors that name the field. */
public final class Fields {
  private Fields() {}

  public static ObjectNode object(JsonNode parent, String field) {
    JsonNode v = parent == null ? null : parent.get(field);
    if (v == null || v.isNull()) throw ApiError.invalid("field required: " + field);
    if (!v.isObject()) throw ApiError.invalid(field + ": expected an object");
    return (ObjectNode) v;
  }

  public static ObjectNode optionalObject(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isObject()) throw ApiError.invalid(field + ": expected an object");
    return (ObjectNode) v;
  }

  public static String string(JsonNode parent, String field) {
    String s = optionalString(parent, field);
    if (s == null) throw ApiError.invalid("field required: " + field);
    return s;
  }

  public static String optionalString(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw ApiError.invalid(field + ": expected a string");
    return v.asText();
  }

  public static Long optionalLong(JsonNode parent, String field) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.canConvertToExactIntegral() || !v.isNumber()) throw ApiError.invalid(field + ": expected an integer");
    return v.asLong();
  }

  public static boolean optionalBoolean(JsonNode parent, String field, boolean fallback) {
    JsonNode v = parent.get(field);
    if (v == null || v.isNull()) return fallback;
    if (!v.isBoolean()) throw ApiError.invalid(field + ": expected a boolean");
    return v.asBoolean();
  }

  /** A list of strings; null or [] mean "no filter" and come back as null. */
  public static List<String> optionalStrings(JsonNode parent, String field) {
    JsonNode v = parent == null ? null : parent.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isArray()) throw ApiError.invalid(field + ": expected a list of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw ApiError.invalid(field + ": expected a list of strings");
      out.add(e.asText());
    }
    return out.isEmpty() ? null : out;
  }

  /** ISO-8601 timestamp to epoch microseconds; without an offset it is taken as UTC. */
  public static long timestamp(JsonNode parent, String field) {
    return timestamp(string(parent, field), field);
  }

  /** {@code s}, the value of {@code field}, as epoch microseconds. */
  public static long timestamp(String s, String field) {
    long fast = utcMicros(s);
    if (fast != Long.MIN_VALUE) return fast;
    try {
      return micros(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException withoutOffset) {
      try {
        return micros(LocalDateTime.parse(s).toInstant(ZoneOffset.UTC));
      } catch (DateTimeParseException e) {
        throw ApiError.invalid(field + ": not an ISO-8601 timestamp: " + s);
      }
    }
  }

  /**
   * The common shape {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, parsed by hand: SDKs send two per call,
   * and java.time's general parser is the largest cost of ingest. Other shapes return MIN_VALUE.
   */
  static long utcMicros(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4), month = digits(s, 5, 7), day = digits(s, 8, 10);
    int hour = digits(s, 11, 13), minute = digits(s, 14, 16), second = digits(s, 17, 19);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
      return Long.MIN_VALUE;
    }
    long micros = 0;
    if (n > 20) {
      if (s.charAt(19) != '.' || n > 30) return Long.MIN_VALUE;
      int frac = digits(s, 20, n - 1);
      if (frac < 0) return Long.MIN_VALUE;
      int places = n - 21;
      micros = places <= 6 ? frac * (long) Math.pow(10, 6 - places) : frac / (long) Math.pow(10, places - 6);
    }
    try {
      long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
      return ((epochDay * 86_400L + hour * 3600L + minute * 60L + second) * 1_000_000L) + micros;
    } catch (java.time.DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }

  /** Epoch microseconds to ISO-8601 UTC with a Z. */
  public static String iso(long micros) {
    return dev.weft.wire.IsoTime.ofEpochMicros(micros);
  }
}
