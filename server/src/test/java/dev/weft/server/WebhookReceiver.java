package dev.weft.server;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A webhook receiver on loopback: keeps what it gets; the first {@code failFirst} requests are answered 500. */
public final class WebhookReceiver implements AutoCloseable {
  /** One request: its headers (lower-case names) and body. */
  public record Received(Map<String, String> headers, String body) {}

  public final List<Received> received = new CopyOnWriteArrayList<>();
  public final String url;
  private final AtomicInteger failures;
  private final HttpServer server;

  public WebhookReceiver(int failFirst) throws IOException {
    failures = new AtomicInteger(failFirst);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/hook", x -> {
      Map<String, String> headers = new java.util.HashMap<>();
      x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      received.add(new Received(headers, new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      x.sendResponseHeaders(failures.getAndDecrement() > 0 ? 500 : 204, -1);
      x.close();
    });
    server.start();
    url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** Waits up to {@code seconds} for {@code n} requests. */
  public List<Received> await(int n, int seconds) throws InterruptedException {
    for (long deadline = System.nanoTime() + seconds * 1_000_000_000L; received.size() < n && System.nanoTime() < deadline; ) {
      Thread.sleep(50);
    }
    return List.copyOf(received);
  }

  /** {@code sha256=} and the HMAC-SHA256 of {@code body} under {@code secret}: what a receiver checks. */
  public static String signature(String secret, String body) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + java.util.HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
