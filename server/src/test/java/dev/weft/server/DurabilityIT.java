package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A 2xx means committed: kill -9 the server mid-ingest, restart it, and every acknowledged call is there. */
class DurabilityIT {
  static String batch(int from, int n) {
    return batch("c", from, n);
  }

  /** {@code n} call starts in project e/p, ids {@code prefix0} to {@code prefix(n-1)}. */
  static String batch(String prefix, int n) {
    return batch(prefix, 0, n);
  }

  private static String batch(String prefix, int from, int n) {
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = from; i < from + n; i++) {
      if (i > from) b.append(',');
      b.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"e/p\",\"id\":\"").append(prefix).append(i)
          .append("\",\"trace_id\":\"t\",\"op_name\":\"op\",\"started_at\":\"2025-01-01T00:00:00Z\",")
          .append("\"attributes\":{},\"inputs\":{\"i\":").append(i).append("}}}}");
    }
    return b.append("]}").toString();
  }

  @Test
  void everyAcknowledgedCallSurvivesKillMinus9() throws Exception {
    Path data = Files.createTempDirectory("weft-durable");
    ServerProcess server = new ServerProcess("--data", data.toString());
    String base = server.base();
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
    server.process.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
    assertTrue(server.process.waitFor(30, TimeUnit.SECONDS));
    writer.join(30_000);
    assertTrue(acknowledged.size() >= 50, "some batches were acknowledged before the kill: " + acknowledged.size());

    try (ServerProcess again = new ServerProcess("--data", data.toString())) {
      again.assertStored(acknowledged);
    } finally {
      TempDirs.delete(data);
    }
  }
}
