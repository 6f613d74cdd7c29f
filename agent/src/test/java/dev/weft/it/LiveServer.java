package dev.weft.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Weft server jar running in its own JVM on a free loopback port, over a fresh store. */
public final class LiveServer implements AutoCloseable {
  final Process process;
  public final String base;
  /** The server's --data directory. */
  final Path data;
  final HttpClient http = HttpClient.newHttpClient();

  /** {@code serveArgs}: more options of {@code serve}. */
  public LiveServer(String... serveArgs) throws Exception {
    Path jar = Path.of(System.getProperty("weft.server.jar", "../server/target/weft-server.jar")).toAbsolutePath();
    data = TempDirs.create("weft-live");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        jar.toString(), "serve", "--port", "0", "--data", data.toString()));
    cmd.addAll(List.of(serveArgs));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
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

  public JsonNode post(String path, String body) throws Exception {
    return AgentRun.JSON.readTree(postText(path, body));
  }

  /** POSTs and expects 200; the answer as text. */
  public String postText(String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new AssertionError(path + " answered " + r.statusCode() + ": " + r.body());
    return r.body();
  }

  /** All calls of a project, oldest first. */
  public List<JsonNode> calls(String project) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/calls/stream_query"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\":\"" + project + "\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    List<JsonNode> out = new ArrayList<>();
    for (String line : r.body().split("\n")) if (!line.isBlank()) out.add(AgentRun.JSON.readTree(line));
    return out;
  }

  /** The first call of {@code project} whose op is {@code opName}, waiting up to 5 s for one; null if none came. */
  JsonNode awaitCall(String project, String opName) throws Exception {
    for (int i = 0; i < 100; i++) {
      for (JsonNode c : calls(project)) {
        if (c.at("/summary/weave/trace_name").asText().equals(opName)) return c;
      }
      Thread.sleep(50);
    }
    return null;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    process.waitFor(30, TimeUnit.SECONDS);
  }
}
