package dev.weft.wire.client;

import java.io.IOException;

/**
 * One step on a request's way to the server, in the manner of OkHttp's interceptors: it may
 * change the request, send it on once or several times, and turn the outcome into another.
 */
public interface Link {
  Outcome send(Request request, Next next) throws IOException;

  /** The rest of the chain. */
  interface Next {
    Outcome send(Request request) throws IOException;
  }
}
