package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A 2xx means committed: kill -9 the server mid-ingest, restart it, and every acknowledged call is there. */
class DurabilityIT {
  static Process serve(Path data) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-jar", System.getProperty("weft.server.jar", "target/weft-server.jar"),
        "serve", "--port", "0", "--data", data.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    return p;
  }

  static String awaitListening(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("listening on ")) return line.substring("listening on ".length());
    }
    throw new AssertionError("the server did not start");
  }

  static String batch(int from, int n) {
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = from; i < from + n; i++) {
      if (i > from) b.append(',');
      b.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"e/p\",\"id\":\"c").append(i)
          .append("\",\"trace_id\":\"t\",\"op_name\":\"op\",\"started_at\":\"2025-01-01T00:00:00Z\",")
          .append("\"attributes\":{},\"inputs\":{\"i\":").append(i).append("}}}}");
    }
    return b.append("]}").toString();
  }

  @Test
  void everyAcknowledgedCallSurvivesKillMinus9() throws Exception {
    Path data = Files.createTempDirectory("weft-durable");
    Process server = serve(data);
    String base = awaitListening(server);
    HttpClient http = HttpClient.newHttpClient();
    Set<String> acknowledged = new HashSet<>();
    Thread writer = new Thread(() -> {
      for (int b = 0; b < 10_000; b++) {
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/call/upsert_batch"))
              .POST(HttpRequest.BodyPublishers.ofString(batch(b * 50, 50))).build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) return;
          synchronized (acknowledged) {
            for (int i = b * 50; i < b * 50 + 50; i++) acknowledged.add("c" + i);
          }
        } catch (Exception killed) {
          return;
        }
      }
    });
    writer.start();
    Thread.sleep(1500);
    server.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertTrue(server.waitFor(30, TimeUnit.SECONDS));
    writer.join(30_000);
    assertTrue(acknowledged.size() >= 50, "some batches were acknowledged before the kill: " + acknowledged.size());

    Process again = serve(data);
    try {
      String base2 = awaitListening(again);
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base2 + "/calls/stream_query"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\":\"e/p\",\"columns\":[\"id\"]}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      Set<String> stored = new HashSet<>();
      for (String line : r.body().split("\n")) {
        if (line.isBlank()) continue;
        JsonNode c = ServerFixture.JSON.readTree(line);
        stored.add(c.get("id").asText());
      }
      List<String> missing = new ArrayList<>();
      for (String id : acknowledged) if (!stored.contains(id)) missing.add(id);
      assertTrue(missing.isEmpty(), () -> missing.size() + " acknowledged calls lost, e.g. " + missing.subList(0, Math.min(5, missing.size())));
    } finally {
      again.destroy();
      again.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
