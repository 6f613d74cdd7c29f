package dev.weft.wire.client;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * One POST to a trace server: a path and a JSON body, and how it can be reshaped when the
 * server asks (smaller parts, or the calls/complete form). The links of a {@link Client} wrap it
 * (a header, a compressed body) without changing it.
 */
public interface Request {
  /** The route, e.g. {@code /call/upsert_batch}. */
  String path();

  /** The project it writes to, {@code entity/project}, where the route has one in its body; else null. */
  String project() throws IOException;

  /** The body as plain JSON. */
  Body body() throws IOException;

  /** The body gzip-compressed, when it is at hand already (a spooled file); else null. */
  default byte[] gzipped() throws IOException {
    return null;
  }

  /** Headers beside Content-Type. */
  default Map<String, String> headers() {
    return Map.of();
  }

  /** Calls or items in it: what is lost if it is. */
  default int items() {
    return 1;
  }

  /** The same items in two or more smaller requests; empty when it cannot be split. */
  default List<Request> split() throws IOException {
    return List.of();
  }

  /**
   * The same calls as a project in calls_complete mode takes them (complete calls through
   * {@code calls/complete}, running ones through {@code call/start} and {@code call/end}), or null
   * when this is not a request of legacy call items.
   */
  default List<Request> inCallsCompleteForm() throws IOException {
    return null;
  }

  /**
   * What the spool keeps when the request cannot be sent now: itself, or a JSON form of it (a
   * multipart upload is kept as JSON; the spool holds JSON bodies only).
   */
  default Request spoolForm() throws IOException {
    return this;
  }

  /** Called once the request is done with, so its body's memory can be reused. */
  default void release() {}

  /** A body: the first {@code length} bytes of {@code bytes}, sent without a copy. */
  final class Body {
    public final byte[] bytes;
    public final int length;

    public Body(byte[] bytes, int length) {
      this.bytes = bytes;
      this.length = length;
    }

    public static Body of(byte[] bytes) {
      return new Body(bytes, bytes.length);
    }
  }
}
