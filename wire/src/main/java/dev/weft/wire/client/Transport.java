package dev.weft.wire.client;

import java.util.Map;

/** The HTTP client at the end of a chain: POSTs a body and says what the answer means ({@link Outcome#of}). */
public interface Transport {
  /**
   * POSTs {@code body} (JSON, gzip-compressed when {@code headers} says so) to {@code path}; an
   * I/O failure is {@link Outcome#unreachable}, never an exception.
   */
  Outcome post(String path, Request.Body body, Map<String, String> headers);

  /** Whether {@code headers} mark a gzip-compressed body. */
  static boolean compressed(Map<String, String> headers) {
    return "gzip".equalsIgnoreCase(headers.get("Content-Encoding"));
  }
}
