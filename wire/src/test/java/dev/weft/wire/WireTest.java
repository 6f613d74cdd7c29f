package dev.weft.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WireTest {
  @Test
  void isoTimeWritesWhatInstantToStringWrites() {
    for (long micros : new long[] {0, 1, 999, 1000, 123_456, 1_700_000_000_000_000L, 1_700_000_000_123_000L,
        1_700_000_000_123_456L, -1, -1_000_001, 253_402_300_799_999_999L}) {
      Instant i = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
      assertEquals(i.toString(), IsoTime.ofEpochMicros(micros), String.valueOf(micros));
    }
    assertEquals("2025-01-01T12:00:00.123456Z", IsoTime.ofEpochNanos(1735732800_123456789L));
  }

  @Test
  void spoolFileNamesRoundTripTheirRoute() {
    String name = SpoolFiles.name(1_700_000_000_000L, 7, "/call/upsert_batch");
    assertEquals("1700000000000-000007.call_upsert_batch.json.gz", name);
    assertEquals("/call/upsert_batch", SpoolFiles.path(name));
    assertEquals("/run/log", SpoolFiles.path(SpoolFiles.name(1, 2, "/run/log")));
  }
}
