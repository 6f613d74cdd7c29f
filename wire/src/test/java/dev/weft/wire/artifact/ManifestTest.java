package dev.weft.wire.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
  static String sha(String s) {
    return Manifest.hex(Manifest.sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theDigestIsTheSha256OfTheCanonicalTextInPathOrder() {
    Manifest m = Manifest.of(List.of(new Manifest.Entry("b.txt", sha("b"), 1), new Manifest.Entry("a/x.bin", sha("x"), 1)));
    String text = sha("x") + " 1 a/x.bin\n" + sha("b") + " 1 b.txt\n";
    assertEquals(sha(text), m.digest());
    assertEquals("a/x.bin", m.entries().get(0).path);
    assertEquals(m.digest(), Manifest.of(List.of(m.entries().get(1), m.entries().get(0))).digest(), "order does not matter");
    assertNotEquals(m.digest(), Manifest.of(List.of(new Manifest.Entry("b.txt", sha("b"), 1))).digest());
  }

  @Test
  void scanningNamesAFileByItsNameAndADirectorysFilesByTheirPathsInside(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("ckpt/meta"));
    Files.writeString(dir.resolve("ckpt/meta/config.json"), "{}");
    Files.writeString(dir.resolve("ckpt/w.bin"), "weights");
    Files.writeString(dir.resolve("README"), "hi");
    Manifest.Scanned s = Manifest.scan(List.of(dir.resolve("ckpt"), dir.resolve("README")));
    assertEquals(List.of("README", "meta/config.json", "w.bin"), s.manifest.entries().stream().map(e -> e.path).collect(java.util.stream.Collectors.toList()));
    assertEquals(sha("weights"), s.manifest.entries().get(2).digest);
    assertEquals(7, s.manifest.entries().get(2).size);
    assertEquals(dir.resolve("ckpt/w.bin"), s.files.get(sha("weights")));
    assertEquals(9 + 2, s.manifest.size());
  }

  @Test
  void pathsThatWouldLeaveADirectoryAndDuplicatesAreRefused() {
    for (String bad : new String[] {"../x", "/etc/passwd", "a//b", "a/./b", "a\\b", "C:x", ""}) {
      assertThrows(IllegalArgumentException.class, () -> Manifest.checkPath(bad), bad);
    }
    IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(
        new Manifest.Entry("a", sha("1"), 1), new Manifest.Entry("a", sha("2"), 1))));
    assertTrue(twice.getMessage().contains("twice"));
    assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of(new Manifest.Entry("a", "abc", 1))));
    assertThrows(IllegalArgumentException.class, () -> Manifest.of(List.of()));
  }

  @Test
  void referencesDefaultToLatest() {
    assertEquals("ckpt:latest", ArtifactClient.Ref.parse("ckpt").toString());
    assertEquals("v3", ArtifactClient.Ref.parse("ckpt:v3").version);
    assertThrows(IllegalArgumentException.class, () -> ArtifactClient.Ref.parse("bad name:v1"));
    assertThrows(IllegalArgumentException.class, () -> ArtifactClient.checkAlias("v2"));
  }
}
