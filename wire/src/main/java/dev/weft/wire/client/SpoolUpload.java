package dev.weft.wire.client;

import dev.weft.wire.SpoolFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Uploads a spool, oldest file first, through a {@link Client}: the agent at its next start and
 * {@code weft-server.jar sync} alike. A file the server took is removed; one it refused for good
 * goes to {@code rejected/}; at the first one to retry later, the upload stops and keeps the rest.
 */
public final class SpoolUpload {
  private SpoolUpload() {}

  /** What an upload did. */
  public static final class Result {
    public int uploaded;
    public int rejected;
    /** Files left for later; 0 when all were dealt with. */
    public int left;
    /** Why the upload stopped early, or null. */
    public Outcome stoppedBy;
  }

  /** Called after each file, for a progress bar. */
  public interface Progress {
    void done(Path file, Outcome outcome);
  }

  public static Result run(Path dir, Client client, Notes notes, Progress progress) throws IOException {
    Result result = new Result();
    List<Path> files = SpoolFiles.list(dir);
    for (int i = 0; i < files.size(); i++) {
      Path f = files.get(i);
      Outcome o = client.send(JsonRequest.fromSpoolFile(f));
      if (o.is(Outcome.Kind.RETRY_LATER)) {
        result.left = files.size() - i;
        result.stoppedBy = o;
        return result;
      }
      if (o.kept()) {
        Files.delete(f);
        result.uploaded++;
      } else {
        Path moved = SpoolFiles.reject(f);
        result.rejected++;
        notes.warn("the trace server refused spooled " + f.getFileName() + " (" + o + "); moved to " + moved.getParent());
      }
      progress.done(f, o);
    }
    return result;
  }
}
