package dev.weft.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
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
    String v2 = SpoolFiles.name(1, 3, "/v2/acme_co/my.demo/calls/complete");
    assertEquals("0000000000001-000003.v2~acme_co~my.demo~calls~complete.json.gz", v2);
    assertEquals("/v2/acme_co/my.demo/calls/complete", SpoolFiles.path(v2));
  }

  @Test
  void thisMachineIsLocalhostOrALoopbackLiteralNeverALookup() {
    for (String url : new String[] {"http://localhost:6345", "http://LOCALHOST", "http://127.0.0.1:1",
        "http://127.8.9.10", "http://[::1]:6345", "https://[0:0:0:0:0:0:0:1]/traces"}) {
      assertTrue(Loopback.isUrl(url), url);
    }
    for (String url : new String[] {"https://trace.wandb.ai", "http://127.example.com", "http://0.0.0.0:6345",
        "http://10.0.0.1", "http://[::2]", "not a url", "http://localhost.example.com"}) {
      assertFalse(Loopback.isUrl(url), url);
    }
    assertTrue(Loopback.isHost("0:0:0:0:0:0:0:1"));
    assertTrue(Loopback.isHost("::ffff:127.0.0.1"), "an IPv4-mapped loopback, as a server may see a client");
    assertFalse(Loopback.isHost(null));
  }

  @Test
  void anOpsRefIsTheDigestOfItsValueAsPythonWritesIt() {
    String file = WeaveDigest.of("// A.b()\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("{\"_type\": \"CustomWeaveType\", \"files\": {\"obj.py\": \"" + file
        + "\"}, \"weave_type\": {\"type\": \"Op\"}}", WeaveOps.val(file));
    assertEquals(WeaveDigest.of(WeaveOps.val(file).getBytes(StandardCharsets.UTF_8)), WeaveOps.digest(file));
    assertEquals("weave:///acme/demo/op/Orchestrator.run:abc", WeaveOps.ref("acme/demo", "Orchestrator.run", "abc"));
    assertEquals("Agents_verify_x_", WeaveOps.objectId("Agents/verify x!"));
    assertEquals("get__users_id", WeaveOps.spanOpId("GET /users/<id>"), "a space and a slash, each a _");
  }
}
