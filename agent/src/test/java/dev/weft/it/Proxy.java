package dev.weft.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A picky trace server: it forwards requests to a live one, but refuses those a rule picks, with
 * the status and answer the rule gives, as a server that differs from Weft's own would.
 */
final class Proxy implements AutoCloseable {
  /** A refusal: the status and the body of the answer. */
  static final class Refusal {
    final int status;
    final String answer;

    Refusal(int status, String answer) {
      this.status = status;
      this.answer = answer;
    }
  }

  /** Which requests to refuse, and how; null to forward. */
  interface Rule {
    Refusal check(String path, Headers headers, byte[] body);
  }

  final HttpServer server;
  final AtomicInteger refused = new AtomicInteger();
  /** The path of every request, in order. */
  final List<String> paths = new CopyOnWriteArrayList<>();

  Proxy(String target, Rule rule) throws java.io.IOException {
    HttpClient http = HttpClient.newHttpClient();
    server = StubServer.start(exchange -> {
      try (exchange) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        paths.add(path);
        Refusal refusal = rule.check(path, exchange.getRequestHeaders(), body);
        byte[] answer;
        int status;
        if (refusal != null) {
          refused.incrementAndGet();
          status = refusal.status;
          answer = refusal.answer.getBytes(StandardCharsets.UTF_8);
        } else {
          HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(target + exchange.getRequestURI()))
              .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
          for (String h : List.of("Content-Type", "Content-Encoding")) {
            String v = exchange.getRequestHeaders().getFirst(h);
            if (v != null) forward.header(h, v);
          }
          HttpResponse<byte[]> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
          status = r.statusCode();
          answer = r.body();
          r.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
        }
        exchange.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }

  /** The proxy's address as {@code host}: {@code 127.0.0.1}, or {@code 0.0.0.0} to make the agent gzip. */
  String base(String host) {
    return "http://" + host + ":" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
