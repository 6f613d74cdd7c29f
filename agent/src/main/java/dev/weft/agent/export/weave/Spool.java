package dev.weft.agent.export.weave;

import dev.weft.agent.base.Log;
import dev.weft.wire.SpoolFiles;
import dev.weft.wire.artifact.ArtifactSpool;
import dev.weft.wire.client.Link;
import dev.weft.wire.client.Links;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Requests the trace server could not take, kept on disk to send later, in the format of
 * {@link SpoolFiles}, which the next agent start and {@code weft-server.jar sync} read. Bounded in
 * size: past {@code maxBytes}, what fails is dropped and counted.
 */
final class Spool {
  private final Path dir;
  private final long maxBytes;
  /** Bytes in the spool, or -1 until counted (again). */
  private final AtomicLong bytes = new AtomicLong(-1);
  private final AtomicLong seq = new AtomicLong();
  private boolean announced;
  /** Files written; and how many of those an upload that went to the end had seen (-1: none yet). */
  private final AtomicLong writes = new AtomicLong();
  private volatile long uploadedThrough = -1;

  Spool(Path dir, long maxBytes) {
    this.dir = dir;
    this.maxBytes = maxBytes;
  }

  Path dir() {
    return dir;
  }

  /** The link that keeps what could not be sent for now, instead of losing it. */
  Link link() {
    return (r, next) -> {
      Outcome o = next.send(r);
      if (!o.is(Outcome.Kind.RETRY_LATER)) return o;
      Request kept = r.spoolForm();
      byte[] gz = kept.gzipped();
      return write(kept.path(), gz != null ? gz : Links.gzip(kept.body())) ? Outcome.spooled()
          : Outcome.dropped("the spool is full or cannot be written (" + o.reason + ")", r.items());
    };
  }

  /** Keeps a gzip-compressed body for {@code path}; false when the spool is full or unwritable. */
  synchronized boolean write(String path, byte[] gzBody) {
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
      writes.incrementAndGet();
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

  /** Whether the spool may hold files to upload: at start, and after a write. Returns a mark for {@link #uploaded}. */
  long uploadDue() {
    long w = writes.get();
    return w == uploadedThrough ? -1 : w;
  }

  /**
   * An upload that began at {@code mark} went over the spool, to its end ({@code all}) or not:
   * the spool is counted again at the next write.
   */
  void uploaded(long mark, boolean all) {
    bytes.set(-1);
    if (all) uploadedThrough = mark;
  }

  /** The whole spool's size: the calls kept and the artifacts (one bound for both). */
  private long size() throws IOException {
    return ArtifactSpool.size(dir);
  }
}
