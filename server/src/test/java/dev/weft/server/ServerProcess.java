package dev.weft.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The built server jar in a JVM of its own ({@code serve --port 0 ARGS}), as an operator runs it. */
final class ServerProcess implements AutoCloseable {
  final Process process;
  /** Everything it printed, stdout and stderr, for the failure message. */
  private final StringBuffer printed = new StringBuffer();
  private final CompletableFuture<String> base = new CompletableFuture<>();
  final HttpClient http = HttpClient.newHttpClient();

  ServerProcess(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", System.getProperty("weft.server.jar", "target/weft-server.jar"), "serve", "--port", "0"));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = out.readLine()) != null; ) {
          printed.append(line).append('\n');
          if (line.startsWith("listening on ")) base.complete(line.substring("listening on ".length()));
        }
      } catch (IOException ignored) {
        // the process ended
      }
      base.completeExceptionally(new AssertionError("the server stopped before listening:\n" + printed));
    }, "server-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** {@code http://127.0.0.1:PORT} once it printed {@code listening on}: serving, schema up to date. */
  String base() throws Exception {
    return base.get(60, TimeUnit.SECONDS);
  }

  String printed() {
    return printed.toString();
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Fails unless every call in {@code acknowledged} is stored in project e/p. */
  void assertStored(java.util.Collection<String> acknowledged) throws Exception {
    HttpResponse<String> r = post("/calls/stream_query", "{\"project_id\":\"e/p\",\"columns\":[\"id\"]}");
    if (r.statusCode() != 200) throw new AssertionError("stream_query answered " + r.statusCode() + ": " + r.body());
    java.util.Set<String> stored = new java.util.HashSet<>();
    for (String line : r.body().split("\n")) {
      if (!line.isBlank()) stored.add(ServerFixture.JSON.readTree(line).get("id").asText());
    }
    List<String> lost = new ArrayList<>();
    for (String id : acknowledged) if (!stored.contains(id)) lost.add(id);
    if (!lost.isEmpty()) {
      throw new AssertionError(lost.size() + " of " + acknowledged.size() + " acknowledged calls lost, e.g. "
          + lost.subList(0, Math.min(5, lost.size())));
    }
  }

  /** SIGTERM, as a process manager stops it; then its exit status. */
  int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the server did not exit within 30 s of SIGTERM");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) stop();
  }
}
