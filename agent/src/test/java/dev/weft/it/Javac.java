package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** Compiles Java sources at test time, for classes that must stay off the app's class path. */
final class Javac {
  private Javac() {}

  /** Compiles {@code sources} (class name → source) into a new directory and returns it. */
  static Path compile(Map<String, String> sources, String classpath, String... options) throws IOException {
    Path src = TempDirs.create("weft-src");
    Path out = TempDirs.create("weft-classes");
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("--release", "11", "-d", out.toString(), "-cp", classpath));
    for (Map.Entry<String, String> e : sources.entrySet()) {
      Path file = src.resolve(e.getKey().replace('.', '/') + ".java");
      Files.createDirectories(file.getParent());
      Files.writeString(file, e.getValue());
      args.add(file.toString());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StringWriter err = new StringWriter();
    int rc = javac.run(null, null, new java.io.PrintStream(new java.io.ByteArrayOutputStream()) {
      @Override
      public void write(byte[] b, int off, int len) {
        err.write(new String(b, off, len));
      }
    }, args.toArray(new String[0]));
    assertTrue(rc == 0, () -> "javac failed: " + err);
    return out;
  }
}
