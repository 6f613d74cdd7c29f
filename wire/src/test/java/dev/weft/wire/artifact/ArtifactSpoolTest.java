package dev.weft.wire.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spool keeps an artifact only if it fits in the spool's bound, which the calls kept there share. */
class ArtifactSpoolTest {
  @TempDir Path tmp;

  private Manifest.Scanned file(String name, int size) throws IOException {
    Path f = tmp.resolve("app").resolve(name);
    Files.createDirectories(f.getParent());
    byte[] bytes = new byte[size];
    bytes[0] = (byte) name.hashCode(); // distinct contents, distinct digests
    Files.write(f, bytes);
    return Manifest.scan(List.of(f));
  }

  private static ObjectNode body(String name, Manifest.Scanned s) {
    return ArtifactClient.logBody("e/p", name, "model", s.manifest, null, List.of(), null, "r1");
  }

  @Test
  void anArtifactThatDoesNotFitIsNotKeptAndNothingOfItStays() throws Exception {
    Path spoolDir = tmp.resolve("spool");
    ArtifactSpool spool = new ArtifactSpool(spoolDir, 10_000);
    Manifest.Scanned small = file("small.bin", 4_000);
    spool.keepLog(body("small", small), small.files);
    assertTrue(ArtifactSpool.size(spoolDir) >= 4_000);

    Manifest.Scanned big = file("big.bin", 7_000);
    ArtifactSpool.Full full = assertThrows(ArtifactSpool.Full.class, () -> spool.keepLog(body("big", big), big.files));
    assertTrue(full.getMessage().contains("weft.spool.max_mb"), full.getMessage());
    long before = ArtifactSpool.size(spoolDir);
    try (var kept = Files.list(spoolDir.resolve("artifacts"))) {
      assertEquals(1, kept.filter(p -> p.toString().endsWith(".json")).count(), "the small log only");
    }

    // The same files again need no room: they are kept already.
    spool.keepLog(body("small-again", small), small.files);
    assertTrue(ArtifactSpool.size(spoolDir) - before < 1_000, "only the log's JSON was added");
  }

  @Test
  void callsKeptInTheSpoolCountTowardItsBound() throws Exception {
    Path spoolDir = Files.createDirectories(tmp.resolve("spool"));
    Files.write(spoolDir.resolve("0000000000001-000001.call_upsert_batch.json.gz"), new byte[9_000]);
    ArtifactSpool spool = new ArtifactSpool(spoolDir, 10_000);
    Manifest.Scanned f = file("weights.bin", 2_000);
    assertThrows(ArtifactSpool.Full.class, () -> spool.keepLog(body("weights", f), f.files));
    assertTrue(new ArtifactSpool(spoolDir).isEmpty(), "nothing kept");
  }
}
