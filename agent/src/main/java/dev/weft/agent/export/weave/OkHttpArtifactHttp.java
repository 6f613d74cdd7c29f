package dev.weft.agent.export.weave;

import dev.weft.wire.artifact.ArtifactHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** Artifacts' HTTP in the agent: OkHttp, files streamed from and to disk in its buffers. */
final class OkHttpArtifactHttp implements ArtifactHttp {
  private static final MediaType JSON = MediaType.get("application/json");
  private static final MediaType BYTES = MediaType.get("application/octet-stream");

  private final String endpoint;
  private final String auth;
  // Timeouts per read or write, not per file: a large file takes as long as it takes.
  private final OkHttpClient http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS)
      .readTimeout(120, TimeUnit.SECONDS).writeTimeout(120, TimeUnit.SECONDS).build();

  OkHttpArtifactHttp(String endpoint, String apiKey) {
    this.endpoint = endpoint.replaceAll("/+$", "");
    this.auth = apiKey == null || apiKey.isBlank() ? null
        : "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  private Request.Builder request(String path) {
    Request.Builder b = new Request.Builder().url(endpoint + path)
        .header("User-Agent", "weft-java/" + dev.weft.agent.export.CallJson.CLIENT_VERSION);
    if (auth != null) b.header("Authorization", auth);
    return b;
  }

  @Override
  public Answer post(String path, byte[] json) throws IOException {
    try (Response r = http.newCall(request(path).post(RequestBody.create(json, JSON)).build()).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  @Override
  public Answer put(String path, Path file) throws IOException {
    try (Response r = http.newCall(request(path).put(RequestBody.create(file.toFile(), BYTES)).build()).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  @Override
  public Download get(String path, long from) throws IOException {
    Request.Builder b = request(path).get();
    if (from > 0) b.header("Range", "bytes=" + from + "-");
    Response r = http.newCall(b.build()).execute();
    return new Download(r.code(), r.body().byteStream(), r);
  }
}
