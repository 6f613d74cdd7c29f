package dev.weft.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Temporary folders for the integration tests, deleted when the test JVM exits (the apps and
 * servers they hand a folder to may still be writing to it until then), so that repeated runs
 * do not pile them up.
 */
final class TempDirs {
  private static final List<Path> created = new ArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(TempDirs::deleteAll, "weft-it-cleanup"));
  }

  private TempDirs() {}

  static synchronized Path create(String prefix) throws IOException {
    Path dir = Files.createTempDirectory(prefix);
    created.add(dir);
    return dir;
  }

  private static synchronized void deleteAll() {
    for (Path dir : created) {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // left behind: harmless
      }
    }
  }
}
