package dev.weft.wire.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The HTTP an {@link ArtifactClient} needs: JSON posts, and files streamed up and down, never
 * whole in memory. The agent implements it with its OkHttp, the server's CLI with the JDK's
 * client; both send the API key. An {@link IOException} means the server could not be reached.
 */
public interface ArtifactHttp {
  /** A status and, for JSON posts and refusals, the answer's text. */
  final class Answer {
    public final int status;
    public final String body;

    public Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  /** An answer whose body is read as a stream: the caller closes it. */
  final class Download implements AutoCloseable {
    public final int status;
    public final InputStream body;
    private final AutoCloseable resource;

    public Download(int status, InputStream body, AutoCloseable resource) {
      this.status = status;
      this.body = body;
      this.resource = resource;
    }

    @Override
    public void close() throws IOException {
      try {
        resource.close();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
  }

  Answer post(String path, byte[] json) throws IOException;

  /** PUTs {@code file}'s bytes as they are read from disk. */
  Answer put(String path, Path file) throws IOException;

  /**
   * GETs {@code path}; with {@code from > 0}, only the bytes from there on ({@code Range:
   * bytes=FROM-}): a server that honours it answers 206, one that does not sends all with 200.
   */
  Download get(String path, long from) throws IOException;
}
