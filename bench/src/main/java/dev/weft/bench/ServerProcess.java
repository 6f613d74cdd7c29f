package dev.weft.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The Weft server jar in its own JVM on a free loopback port, for the benchmarks. */
final class ServerProcess implements AutoCloseable {
  final Process process;
  /** {@code http://127.0.0.1:PORT}, as the server printed it. */
  final String base;
  /** The SQLite store's folder (about 1 GB after a million calls), deleted at close; or null. */
  private final Path data;

  /** @param db a PostgreSQL JDBC URL, or null for SQLite in a new temporary directory; then more {@code serve} options */
  ServerProcess(String db, String... serveArgs) throws Exception {
    String jar = Path.of(System.getProperty("weft.server.jar", "server/target/weft-server.jar")).toAbsolutePath().toString();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx2g"));
    // e.g. -Dweft.server.jvmArgs=-XX:StartFlightRecording=filename=server.jfr to profile the server
    cmd.addAll(jvmArgs("weft.server.jvmArgs"));
    cmd.addAll(List.of("-jar", jar, "serve", "--port", "0"));
    data = db == null ? Files.createTempDirectory("weft-bench") : null;
    cmd.addAll(db != null ? List.of("--db", db) : List.of("--data", data.toString()));
    cmd.addAll(List.of(serveArgs));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String found = null;
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("listening on ")) {
        found = line.substring("listening on ".length());
        break;
      }
    }
    if (found == null) {
      process.destroy();
      throw new IllegalStateException("the server did not start");
    }
    base = found;
  }

  /** CPU time the process has used so far, or zero where the OS does not say. */
  static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** Extra JVM options for a benchmark's child JVM, from a system property, split at spaces. */
  static List<String> jvmArgs(String property) {
    String extra = System.getProperty(property, "").trim();
    return extra.isEmpty() ? List.of() : List.of(extra.split("\\s+"));
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor();
    if (data != null) deleteTree(data);
  }

  /** Deletes a folder and all in it; says so on stderr if it cannot. */
  static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("could not delete " + dir + ": " + e.getMessage());
    }
  }
}
