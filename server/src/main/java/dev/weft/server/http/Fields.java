package dev.weft.server.http;

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
    String s = string(parent, field);
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

  static long micros(Instant i) {
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000);
  }

  /** Epoch microseconds to ISO-8601 UTC with a Z. */
  public static String iso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L).toString();
  }
}
