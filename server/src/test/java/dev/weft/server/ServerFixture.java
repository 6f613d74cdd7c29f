package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.store.JdbcStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A live server on a free loopback port over a fresh store, and a small client for it. */
final class ServerFixture implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final WeftServer server;
  /** The server's store, for tests that drive its background work themselves. */
  final JdbcStore store;
  final String base;
  final HttpClient http = HttpClient.newHttpClient();
  String apiKey;
  /** The SQLite store's folder, removed at close. */
  final Path dir;
  /** The PostgreSQL database's JDBC URL, or null for SQLite. */
  final String jdbcUrl;
  /** Runs after the server stops, e.g. to drop a test database. */
  Runnable afterClose = () -> {};

  ServerFixture(String apiKey, long maxBody) throws IOException {
    this(apiKey, maxBody, null);
  }

  ServerFixture(String apiKey, long maxBody, String jdbcUrl) throws IOException {
    this.jdbcUrl = jdbcUrl;
    dir = Files.createTempDirectory("weft-server");
    ServerMetrics metrics = new ServerMetrics(); // the store reports to the server's /metrics, as in serve
    store = JdbcStore.connect(jdbcUrl, dir, metrics.registry());
    store.migrate();
    server = WeftServer.listen(new WeftServer.Options("127.0.0.1", 0, apiKey, maxBody), store, metrics);
    server.serve();
    base = "http://127.0.0.1:" + server.port();
    this.apiKey = apiKey;
  }

  static ServerFixture start() throws IOException {
    return new ServerFixture(null, 1 << 20);
  }

  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    List<JsonNode> lines() {
      List<JsonNode> out = new ArrayList<>();
      for (String l : body.split("\n")) {
        if (!l.isBlank()) {
          try {
            out.add(JSON.readTree(l));
          } catch (IOException e) {
            throw new AssertionError(l, e);
          }
        }
      }
      return out;
    }
  }

  Response post(String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    if (apiKey != null) {
      b.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes()));
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(r.statusCode(), r.body());
  }

  Response post(String path, JsonNode body) throws Exception {
    return post(path, JSON.writeValueAsString(body));
  }

  /** POSTs and expects a 200 JSON answer. */
  JsonNode ok(String path, JsonNode body) throws Exception {
    Response r = post(path, body);
    if (r.status != 200) throw new AssertionError(path + " answered " + r.status + ": " + r.body);
    return path.endsWith("stream_query") ? JSON.valueToTree(r.lines()) : r.json();
  }

  /** Any JSON value, written with single quotes for readability. */
  static JsonNode val(String json) {
    try {
      return JSON.readTree(json.replace('\'', '"'));
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  static ObjectNode obj(String json) {
    try {
      return (ObjectNode) JSON.readTree(json.replace('\'', '"'));
    } catch (IOException e) {
      throw new AssertionError(json, e);
    }
  }

  @Override
  public void close() {
    server.close();
    afterClose.run();
    TempDirs.delete(dir);
  }
}
