package dev.weft.server.request;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class FieldsTest {
  static long parsed(String ts) throws Exception {
    return Fields.timestamp(new ObjectMapper().readTree("{\"t\":\"" + ts + "\"}"), "t");
  }

  static long expected(String ts) {
    java.time.Instant i = OffsetDateTime.parse(ts).toInstant();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1_000;
  }

  @Test
  void isoFormattingMatchesInstantToString() {
    for (long micros : new long[] {0, 1, 999, 1000, 123_456, 1_700_000_000_000_000L, 1_700_000_000_123_000L,
        1_700_000_000_123_456L, -1, -1_000_001, 253_402_300_799_999_999L}) {
      java.time.Instant i = java.time.Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
          Math.floorMod(micros, 1_000_000L) * 1_000L);
      assertEquals(i.toString(), Fields.iso(micros), String.valueOf(micros));
    }
  }

  @Test
  void theFastPathAgreesWithJavaTime() throws Exception {
    for (String ts : new String[] {"2025-01-01T12:00:00Z", "2025-01-01T12:00:00.1Z", "2025-01-01T12:00:00.123Z",
        "2024-02-29T23:59:59.123456Z", "1969-12-31T23:59:59.999999Z", "2025-01-01T12:00:00.123456789Z",
        "2025-01-01T12:00:00.123+02:00", "2025-01-01T12:00:00.123456+00:00"}) {
      assertEquals(expected(ts), parsed(ts), ts);
    }
    assertEquals(expected("2025-01-01T12:00:00Z"), parsed("2025-01-01T12:00:00"), "no offset means UTC");
  }
}
