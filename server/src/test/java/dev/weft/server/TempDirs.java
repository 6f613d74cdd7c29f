package dev.weft.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Temporary folders of the tests, removed when done so that repeated runs do not fill the disk. */
final class TempDirs {
  private TempDirs() {}

  /** Deletes {@code dir} and everything in it; what cannot be deleted is left, harmlessly. */
  static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind is harmless
    }
  }
}
