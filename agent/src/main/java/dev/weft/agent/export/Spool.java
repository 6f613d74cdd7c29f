package dev.weft.agent.export;

import dev.weft.agent.Log;
import dev.weft.wire.SpoolFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests the trace server could not take, kept on disk to send later, in the format of
 * {@link SpoolFiles}. Uploaded by the next agent start or {@code weft-server.jar sync --spool DIR}.
 */
public final class Spool {
  private final Path dir;
  private final long maxBytes;
  private final AtomicLong bytes = new AtomicLong(-1);
  private final AtomicLong seq = new AtomicLong();
  private boolean announced;

  public Spool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  public Path dir() {
    return dir;
  }

  /** Keeps a gzip-compressed body for {@code path}; false when the spool is full or unwritable. */
  public synchronized boolean write(String path, byte[] gzBody) {
    Thread.interrupted(); // an abort's wake-up must not stop the file write (channels close on interrupt)
    try {
      if (bytes.get() < 0) bytes.set(size());
      if (bytes.get() + gzBody.length > maxBytes) {
        Log.warn("spool " + dir + " is full (weft.spool.max_mb); dropping");
        return false;
      }
      Files.createDirectories(dir);
      String name = SpoolFiles.name(System.currentTimeMillis(), seq.incrementAndGet(), path);
      Path tmp = dir.resolve(name + ".tmp");
      Files.write(tmp, gzBody);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
      bytes.addAndGet(gzBody.length);
      if (!announced) {
        announced = true;
        Log.warn("keeping what the trace server did not take (it is unreachable, or weft.mode=offline) in "
            + dir.toAbsolutePath() + "; the next agent start uploads it, or: java -jar weft-server.jar sync --spool "
            + dir.toAbsolutePath());
      }
      return true;
    } catch (IOException e) {
      Log.warn("could not write to spool " + dir + ": " + e.getMessage());
      return false;
    }
  }

  /** The spooled files, oldest first. */
  public java.util.List<Path> files() throws IOException {
    java.util.List<Path> out = new java.util.ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json.gz")) {
      for (Path f : files) out.add(f);
    }
    java.util.Collections.sort(out);
    return out;
  }

  /** The request path a spooled file was meant for. */
  public static String route(Path file) {
    return SpoolFiles.path(file.getFileName().toString());
  }

  /** A file was uploaded (or refused for good): forget it. */
  public synchronized void remove(Path file, boolean refused) throws IOException {
    long size = Files.size(file);
    if (refused) {
      Path rejected = Files.createDirectories(dir.resolve("rejected"));
      Files.move(file, rejected.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.delete(file);
    }
    if (bytes.get() >= 0) bytes.addAndGet(-size);
  }

  private long size() throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    long total = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.json.gz")) {
      for (Path f : files) total += Files.size(f);
    }
    return total;
  }
}
