package dev.weft.server;

import dev.weft.wire.artifact.ArtifactHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

/** The CLI's artifact HTTP ({@code artifact}, {@code sync}): the JDK's client, files streamed from and to disk. */
final class JdkArtifactHttp implements ArtifactHttp {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String auth;

  JdkArtifactHttp(String base, String apiKey) {
    this.base = base.replaceAll("/+$", "");
    this.auth = apiKey == null || apiKey.isBlank() ? null
        : "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (auth != null) b.header("Authorization", auth);
    return b;
  }

  @Override
  public Answer post(String path, byte[] json) throws IOException {
    HttpResponse<String> r = send(request(path).timeout(Duration.ofSeconds(120)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  @Override
  public Answer put(String path, Path file) throws IOException {
    HttpResponse<String> r = send(request(path).header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }

  @Override
  public Download get(String path, long from) throws IOException {
    HttpRequest.Builder b = request(path).GET();
    if (from > 0) b.header("Range", "bytes=" + from + "-");
    HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    return new Download(r.statusCode(), r.body(), r.body());
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
    try {
      return http.send(request, handler);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (IOException e) {
      throw e.getMessage() != null ? e : new IOException(e.getClass().getSimpleName(), e);
    }
  }
}
