package dev.weft.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds other JDKs installed beside the running one (e.g. under /usr/lib/jvm). */
final class Jdks {
  private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

  private Jdks() {}

  /** The newest JDK of at least {@code minVersion}, or null. */
  static Path find(int minVersion) throws IOException {
    if (Runtime.version().feature() >= minVersion) return Path.of(System.getProperty("java.home"));
    Path home = Path.of(System.getProperty("java.home")).toRealPath();
    List<Path> roots = Stream.of(home.getParent(), Path.of("/usr/lib/jvm"), Path.of("/opt"))
        .filter(Files::isDirectory).distinct().collect(Collectors.toList());
    Path best = null;
    int bestVersion = 0;
    for (Path root : roots) {
      try (Stream<Path> dirs = Files.list(root)) {
        for (Path dir : dirs.sorted(Comparator.naturalOrder()).collect(Collectors.toList())) {
          int v = version(dir);
          if (v >= minVersion && v > bestVersion && Files.isExecutable(dir.resolve("bin/java"))) {
            best = dir;
            bestVersion = v;
          }
        }
      }
    }
    return best;
  }

  private static int version(Path jdk) {
    try {
      Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }
}
