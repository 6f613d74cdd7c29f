package dev.weft.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ExceptionJsonTest {
  @Test
  void writesWeavesExceptionShapeWithTheCauseChain() throws Exception {
    Exception e = new IllegalStateException("outer", new java.io.IOException("disk \"full\""));
    JsonNode node = new ObjectMapper().readTree(ExceptionJson.of(e));
    assertEquals("java.lang.IllegalStateException", node.get("type").asText());
    assertEquals("outer", node.get("message").asText());
    JsonNode frame = node.get("traceback").get(0);
    assertEquals("ExceptionJsonTest.java", frame.get("filename").asText());
    assertTrue(frame.get("line_number").asInt() > 0);
    assertTrue(frame.get("function_name").asText().endsWith("ExceptionJsonTest.writesWeavesExceptionShapeWithTheCauseChain"));
    assertEquals("disk \"full\"", node.at("/cause/message").asText());
  }

  @Test
  void timestampsAreIsoUtcWithMicroseconds() {
    assertEquals("2025-01-01T12:00:00.123456Z", Timestamps.iso(1735732800_123456789L));
    assertEquals("2025-01-01T12:00:00Z", Timestamps.iso(1735732800_000000000L));
    for (long nanos : new long[] {0, 1_000, 999_999_000, 1735732800_120000000L, -1_000, 9_000_000_000_123_456_000L}) {
      long s = Math.floorDiv(nanos, 1_000_000_000L);
      java.time.Instant i = java.time.Instant.ofEpochSecond(s, Math.floorMod(nanos, 1_000_000_000L) / 1000 * 1000);
      assertEquals(i.toString(), Timestamps.iso(nanos), String.valueOf(nanos));
    }
  }
}
