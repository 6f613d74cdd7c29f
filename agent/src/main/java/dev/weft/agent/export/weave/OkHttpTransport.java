package dev.weft.agent.export.weave;

import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import dev.weft.wire.client.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;

/** The agent's HTTP client: OkHttp, relocated inside the agent so the app's own is untouched. */
final class OkHttpTransport implements Transport {
  private static final MediaType JSON = MediaType.get("application/json");

  private final String endpoint;
  private final OkHttpClient http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS)
      .readTimeout(30, TimeUnit.SECONDS).writeTimeout(30, TimeUnit.SECONDS)
      .socketFactory(new NoDelaySockets()).build();
  /** For questions ({@link #ask}): asked on the export thread, which must not wait long for a hung server. */
  private final OkHttpClient quick = http.newBuilder().callTimeout(3, TimeUnit.SECONDS).build();
  /** Aborted: no more network; each request fails at once (and is spooled). */
  private volatile boolean aborted;

  /** @param endpoint the server's base URL, without a trailing slash */
  OkHttpTransport(String endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public Outcome post(String path, Request.Body body, Map<String, String> headers) {
    if (aborted) return Outcome.unreachable(new IOException("the JVM is exiting"));
    String type = headers.get("Content-Type");
    okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(endpoint + path)
        .post(RequestBody.create(body.bytes, type == null ? JSON : MediaType.get(type), 0, body.length))
        .header("User-Agent", "weft-java/" + dev.weft.agent.export.CallJson.CLIENT_VERSION);
    headers.forEach((k, v) -> {
      if (!k.equals("Content-Type")) b.header(k, v);
    });
    try (Response r = http.newCall(b.build()).execute()) {
      return Outcome.of(r.code(), r.isSuccessful() ? "" : r.body().string(), Transport.compressed(headers));
    } catch (IOException e) {
      return Outcome.unreachable(e);
    }
  }

  /**
   * Posts {@code json} and returns the answer of a 2xx, within 3 s; for a question whose answer
   * matters (not a write that may wait in the spool). Throws {@link Answered} for any other status.
   */
  String ask(String path, byte[] json, String authorization) throws IOException {
    if (aborted) throw new IOException("the JVM is exiting");
    okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(endpoint + path).post(RequestBody.create(json, JSON))
        .header("User-Agent", "weft-java/" + dev.weft.agent.export.CallJson.CLIENT_VERSION);
    if (authorization != null) b.header("Authorization", authorization);
    try (Response r = quick.newCall(b.build()).execute()) {
      String answer = r.body().string();
      if (!r.isSuccessful()) throw new Answered(r.code(), answer);
      return answer;
    }
  }

  /** A non-2xx answer to {@link #ask}. */
  static final class Answered extends IOException {
    final int status;

    Answered(int status, String answer) {
      super("HTTP " + status + ": " + (answer.length() > 300 ? answer.substring(0, 300) + "…" : answer));
      this.status = status;
    }
  }

  /** Stops all network: requests in flight fail now, later ones at once. */
  void abort() {
    aborted = true;
    http.dispatcher().cancelAll();
  }

  void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  /**
   * Sockets with Nagle's algorithm off: a request's headers and body go out at once instead of
   * the body waiting ~40 ms for the server's delayed ACK of the headers, on every batch.
   */
  private static final class NoDelaySockets extends SocketFactory {
    private final SocketFactory plain = SocketFactory.getDefault();

    private static Socket noDelay(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    // OkHttp asks for an unconnected socket; the others are SocketFactory's contract.
    @Override public Socket createSocket() throws IOException { return noDelay(plain.createSocket()); }
    @Override public Socket createSocket(String host, int port) throws IOException { return noDelay(plain.createSocket(host, port)); }
    @Override public Socket createSocket(InetAddress host, int port) throws IOException { return noDelay(plain.createSocket(host, port)); }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }
  }
}
