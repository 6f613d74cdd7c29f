package dev.weft.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Weft server jar in its own JVM on a free loopback port, over a fresh store. */
final class LiveServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final Process process;
  final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  LiveServer() throws Exception {
    Path jar = Path.of(System.getProperty("weft.server.jar", "../server/target/weft-server.jar")).toAbsolutePath();
    Path data = Files.createTempDirectory("weft-junit-server");
    process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "serve", "--port", "0", "--data", data.toString())
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()));
    String found = null;
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("listening on ")) {
        found = line.substring("listening on ".length());
        break;
      }
    }
    if (found == null) throw new IllegalStateException("the server did not start");
    base = found;
  }

  String postText(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
    return r.body();
  }

  JsonNode post(String path, String body) throws Exception {
    return JSON.readTree(postText(path, body));
  }

  List<JsonNode> calls(String project) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : postText("/calls/stream_query", "{\"project_id\":\"" + project + "\"}").split("\n")) {
      if (!line.isBlank()) out.add(JSON.readTree(line));
    }
    return out;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
