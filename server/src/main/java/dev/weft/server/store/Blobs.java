package dev.weft.server.store;

import dev.weft.wire.artifact.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Artifact files' bytes, one file per SHA-256 under a directory ({@code ab/abcdef…}): stored once
 * however many versions and projects hold them. A body is streamed to a temporary file beside
 * them, hashed as it is written, and moved into place only if its digest is the one it was sent
 * as, so a blob's name always matches its bytes, and two servers writing the same blob into a
 * shared directory at once both end with the same file.
 */
public final class Blobs {
  /** Mixed into each blob's advisory lock key, away from the keys of migrations and retention. */
  private static final long LOCKS = 0x626c6f6200000000L; // "blob"
  private final Path dir;

  public Blobs(Path dir) {
    this.dir = dir.toAbsolutePath();
  }

  public Path dir() {
    return dir;
  }

  /** Where a blob is (or would be). */
  public Path path(String digest) {
    if (!Manifest.isDigest(digest)) throw new IllegalArgumentException("not a SHA-256: " + digest);
    return dir.resolve(digest.substring(0, 2)).resolve(digest);
  }

  /**
   * The PostgreSQL advisory lock that holds blob {@code digest} while a log relies on it or a
   * removal checks it (JdbcArtifacts): from its digest, so every server takes the same one.
   */
  public static long lockKey(String digest) {
    return LOCKS ^ Long.parseUnsignedLong(digest.substring(0, 16), 16);
  }

  public boolean has(String digest) {
    return Files.isRegularFile(path(digest));
  }

  /** A blob whose SHA-256 or length is not what it was sent as. */
  public static final class Mismatch extends Exception {
    Mismatch(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Stores {@code body} as blob {@code digest}; returns its size. {@code expectedSize}: the
   * declared length, or -1. Nothing is stored if the bytes do not hash to {@code digest}.
   */
  public long receive(String digest, InputStream body, long expectedSize) throws IOException, Mismatch {
    Path target = path(digest);
    Path tmpDir = Files.createDirectories(dir.resolve("tmp"));
    Path tmp = Files.createTempFile(tmpDir, digest.substring(0, 8) + "-", ".part");
    try {
      MessageDigest md = Manifest.sha256();
      long total = 0;
      byte[] buf = new byte[1 << 20];
      try (OutputStream out = Files.newOutputStream(tmp)) {
        for (int n; (n = body.read(buf)) > 0; ) {
          md.update(buf, 0, n);
          out.write(buf, 0, n);
          total += n;
        }
      }
      String got = Manifest.hex(md.digest());
      if (!got.equals(digest) || expectedSize >= 0 && total != expectedSize) {
        throw new Mismatch("the body's SHA-256 is " + got + " (" + total + " bytes), not " + digest
            + ": the file changed or was cut off on the way");
      }
      Files.createDirectories(target.getParent());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return total;
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Removes a blob nothing refers to any more. */
  public void delete(String digest) throws IOException {
    Files.deleteIfExists(path(digest));
  }

  /** The blobs whose file was written before {@code cutoff}. */
  public List<String> writtenBefore(Instant cutoff) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path p : filesBefore(dir, 2, cutoff)) if (Manifest.isDigest(p.getFileName().toString())) out.add(p.getFileName().toString());
    return out;
  }

  /** Deletes the parts of uploads begun before {@code cutoff} that never finished (a server stopped mid-upload). */
  public int removePartsBefore(Instant cutoff) throws IOException {
    int removed = 0;
    for (Path p : filesBefore(dir.resolve("tmp"), 1, cutoff)) {
      if (p.getFileName().toString().endsWith(".part") && Files.deleteIfExists(p)) removed++;
    }
    return removed;
  }

  private static List<Path> filesBefore(Path under, int depth, Instant cutoff) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(under)) return out;
    try (Stream<Path> all = Files.walk(under, depth)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p) && Files.getLastModifiedTime(p).toInstant().isBefore(cutoff)) out.add(p);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    return out;
  }

  /** How many blobs there are (for tests and the benchmark). */
  public long count() throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Files.isRegularFile(p) && Manifest.isDigest(p.getFileName().toString())).count();
    }
  }
}
