package dev.weft.wire.artifact;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.client.Notes;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Artifacts the server could not take yet (it was down, or {@code weft.mode=offline}), in the
 * spool's {@code artifacts/} folder: each log or use as a JSON file named
 * {@code <millis>-<seq>.artifact_log.json} or {@code .artifact_use.json}, oldest first, and each
 * file a log needs copied once into {@code artifacts/blobs/<sha256>}, so that later changes to the
 * app's files do not change what is uploaded. The next agent start and
 * {@code weft-server.jar sync} upload them; what the server refuses goes to {@code rejected/}.
 */
public final class ArtifactSpool {
  public static final String FOLDER = "artifacts";
  private static final String LOG = ".artifact_log.json";
  private static final String USE = ".artifact_use.json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicLong SEQ = new AtomicLong();

  private final Path spool;
  private final Path dir;
  private final Path blobs;
  private final long maxBytes;

  /** A spool to upload from ({@code sync}): no bound on what it may keep. */
  public ArtifactSpool(Path spool) {
    this(spool, Long.MAX_VALUE);
  }

  /**
   * @param spool the agent's spool directory ({@code weft.spool.dir})
   * @param maxBytes the bound of the whole spool, calls and artifacts ({@code weft.spool.max_mb})
   */
  public ArtifactSpool(Path spool, long maxBytes) {
    this.spool = spool;
    this.dir = spool.resolve(FOLDER);
    this.blobs = dir.resolve("blobs");
    this.maxBytes = maxBytes;
  }

  /** Keeping a log would take the spool past its bound. */
  public static final class Full extends IOException {
    Full(String message) {
      super(message);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Keeps a log to send later, with a copy of each of its files not kept already. */
  public synchronized void keepLog(ObjectNode body, Map<String, Path> files) throws IOException {
    long needed = 0;
    Set<String> counted = new HashSet<>();
    for (Manifest.Entry e : ArtifactClient.manifestOf(body).entries()) {
      if (counted.add(e.digest) && !Files.exists(blobs.resolve(e.digest))) needed += e.size;
    }
    long used = needed == 0 ? 0 : size(spool);
    if (needed > 0 && used + needed > maxBytes) {
      throw new Full("the spool " + spool + " holds " + mib(used) + " MiB and this needs " + mib(needed)
          + " MiB more, past its " + mib(maxBytes) + " MiB (weft.spool.max_mb)");
    }
    Files.createDirectories(blobs);
    for (Manifest.Entry e : ArtifactClient.manifestOf(body).entries()) {
      Path kept = blobs.resolve(e.digest);
      if (Files.exists(kept)) continue;
      Path from = files.get(e.digest);
      if (from == null) throw new IOException("no local file for " + e.path);
      Path tmp = Files.createTempFile(blobs, ".copy-", ".part");
      try {
        Files.copy(from, tmp, StandardCopyOption.REPLACE_EXISTING);
        String digest = Manifest.sha256(tmp, new long[1]);
        if (!digest.equals(e.digest)) throw new IOException("file " + from + " changed while it was being logged");
        Files.move(tmp, kept, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    write(body, LOG);
  }

  private static long mib(long bytes) {
    return (bytes + (1 << 20) - 1) >> 20;
  }

  /** The bytes of every file under {@code dir}: the calls kept there, and the artifacts. */
  public static long size(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      long total = 0;
      for (Path p : (Iterable<Path>) all::iterator) {
        if (Files.isRegularFile(p)) total += Files.size(p);
      }
      return total;
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Keeps a record that a run used a version, to send later. */
  public synchronized void keepUse(ObjectNode body) throws IOException {
    write(body, USE);
  }

  private void write(ObjectNode body, String suffix) throws IOException {
    Files.createDirectories(dir);
    String name = String.format("%013d-%06d%s", System.currentTimeMillis(), SEQ.incrementAndGet(), suffix);
    Path tmp = dir.resolve(name + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(body));
    Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether anything waits to be uploaded. */
  public boolean isEmpty() throws IOException {
    return entries().isEmpty();
  }

  /** What an upload did. */
  public static final class Result {
    public int uploaded;
    public int rejected;
    public int left;
    /** Why the upload stopped early (the server is unreachable), or null. */
    public String stoppedBy;
  }

  /**
   * Uploads what is kept, oldest first, removing each once the server has it; stops at the first
   * the server cannot take now. Then removes the kept files no log waiting needs any more.
   */
  public Result upload(ArtifactClient client, Notes notes) throws IOException {
    Result r = new Result();
    List<Path> entries = entries();
    for (int i = 0; i < entries.size(); i++) {
      Path f = entries.get(i);
      try {
        ObjectNode body = (ObjectNode) JSON.readTree(f.toFile());
        if (f.getFileName().toString().endsWith(LOG)) {
          Map<String, Path> files = new HashMap<>();
          for (Manifest.Entry e : ArtifactClient.manifestOf(body).entries()) files.put(e.digest, blobs.resolve(e.digest));
          client.log(body, files);
        } else {
          client.post("/artifact/use", body);
        }
        Files.delete(f);
        r.uploaded++;
      } catch (ArtifactClient.Refused | IllegalArgumentException | ClassCastException e) {
        Path rejected = Files.createDirectories(dir.resolve("rejected"));
        Files.move(f, rejected.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        r.rejected++;
        notes.warn("the trace server refused spooled artifact " + f.getFileName() + " (" + e.getMessage() + "); moved to " + rejected);
      } catch (IOException e) {
        r.left = entries.size() - i;
        r.stoppedBy = e.getMessage();
        break;
      }
    }
    removeUnneededBlobs();
    return r;
  }

  private synchronized void removeUnneededBlobs() throws IOException {
    if (!Files.isDirectory(blobs)) return;
    Set<String> needed = new HashSet<>();
    for (Path f : entries()) {
      if (!f.getFileName().toString().endsWith(LOG)) continue;
      try {
        for (Manifest.Entry e : ArtifactClient.manifestOf(JSON.readTree(f.toFile())).entries()) needed.add(e.digest);
      } catch (IOException | IllegalArgumentException e) {
        return; // unreadable: keep every file rather than guess
      }
    }
    try (DirectoryStream<Path> all = Files.newDirectoryStream(blobs)) {
      for (Path b : all) {
        String n = b.getFileName().toString();
        if (Manifest.isDigest(n) && !needed.contains(n)) Files.deleteIfExists(b);
      }
    }
  }

  private List<Path> entries() throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.artifact_*.json")) {
      for (Path f : files) out.add(f);
    }
    Collections.sort(out);
    return out;
  }
}
