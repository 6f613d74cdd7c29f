package dev.weft.server;

import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import dev.weft.wire.client.Transport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** {@code sync}'s HTTP client: the JDK's, one request at a time is all it sends. */
final class HttpTransport implements Transport {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String endpoint;

  /** @param endpoint the server's base URL, without a trailing slash */
  HttpTransport(String endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public Outcome post(String path, Request.Body body, Map<String, String> headers) {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", headers.getOrDefault("Content-Type", "application/json"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes, 0, body.length));
    headers.forEach((k, v) -> {
      if (!k.equals("Content-Type")) req.header(k, v);
    });
    try {
      HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
      return Outcome.of(r.statusCode(), r.body(), Transport.compressed(headers));
    } catch (IOException e) {
      // The JDK's ConnectException often has no message; its name says enough.
      return Outcome.unreachable(e.getMessage() != null ? e : new IOException(e.getClass().getSimpleName(), e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.unreachable(new IOException("interrupted", e));
    }
  }
}
