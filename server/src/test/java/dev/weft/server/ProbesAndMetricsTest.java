package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.server.store.JdbcStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /health}, {@code /ready} and {@code /metrics}: what a load balancer and Prometheus read. */
class ProbesAndMetricsTest {
  /** A sample line of Prometheus' text format 0.0.4: name, optional labels, a value, an optional timestamp. */
  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})?"
          + " (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile(
      "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");

  @Test
  void metricsParseAsPrometheusTextWithTheServersOwnSeries() throws Exception {
    try (ServerFixture s = ServerFixture.start()) {
      s.ok("/call/upsert_batch", ServerFixture.JSON.readTree(DurabilityIT.batch("m", 7)));
      s.post("/call/upsert_batch", "{not json");
      HttpResponse<String> r = get(s.base + "/metrics", null);
      assertEquals(200, r.statusCode());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      Map<String, Double> samples = parse(r.body());

      assertEquals(7.0, samples.get("weft_calls_ingested_total"));
      assertEquals(1.0, samples.get("http_server_requests_seconds_count{method=\"POST\",route=\"/call/upsert_batch\",status=\"200\"}"));
      assertEquals(1.0, samples.get("http_server_requests_seconds_count{method=\"POST\",route=\"/call/upsert_batch\",status=\"400\"}"));
      assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("http_server_requests_seconds_bucket{")
          && k.contains("route=\"/call/upsert_batch\"") && k.contains("le=\"")), "a latency histogram per route");
      assertTrue(samples.get("weft_store_commit_seconds_count") >= 1);
      assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith("weft_store_commit_seconds_bucket{")));
      assertEquals(0.0, samples.get("weft_store_write_queue"));
      assertTrue(samples.get("weft_store_size_bytes") > 0);
      for (String kind : List.of("traces", "calls", "feedback", "objects", "runs", "metric_points")) {
        assertEquals(0.0, samples.get("weft_retention_deleted_total{kind=\"" + kind + "\"}"), kind);
      }
      for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_live_data_size_bytes",
          "process_cpu_usage", "process_uptime_seconds", "hikaricp_connections_active")) {
        assertTrue(samples.keySet().stream().anyMatch(k -> k.startsWith(jvm)), jvm);
      }
    }
  }

  /** Parses every line strictly; returns each sample's name and labels, as written, to its value. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isEmpty()) continue;
      if (line.startsWith("#")) {
        assertTrue(COMMENT.matcher(line).matches(), "not Prometheus text: " + line);
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertTrue(m.matches(), "not Prometheus text: " + line);
      String value = m.group(3);
      double v = value.equals("+Inf") ? Double.POSITIVE_INFINITY : value.equals("-Inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(value);
      assertEquals(null, out.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), v), "repeated series: " + line);
    }
    return out;
  }

  @Test
  void probesNeedNoKeyButMetricsDo() throws Exception {
    try (ServerFixture s = new ServerFixture("k3y", 1 << 20)) {
      assertEquals(200, get(s.base + "/health", null).statusCode());
      assertEquals(200, get(s.base + "/ready", null).statusCode());
      assertEquals(401, get(s.base + "/metrics", null).statusCode());
      assertEquals(200, get(s.base + "/metrics", "k3y").statusCode());
    }
  }

  @Test
  void untilTheSchemaIsUpToDateTheProbesAnswerAndTheApiSaysStarting() throws Exception {
    Path dir = Files.createTempDirectory("weft-probes");
    ServerMetrics metrics = new ServerMetrics();
    JdbcStore store = JdbcStore.connect(null, dir, metrics.registry());
    try (WeftServer server = WeftServer.listen(new WeftServer.Options("127.0.0.1", 0, null, 1 << 20), store, metrics)) {
      String base = "http://127.0.0.1:" + server.port();
      assertEquals(200, get(base + "/health", null).statusCode());
      HttpResponse<String> ready = get(base + "/ready", null);
      assertEquals(503, ready.statusCode());
      assertEquals("{\"status\":\"starting\"}", ready.body());
      HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/calls/query"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"project_id\":\"e/p\"}")).build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(503, api.statusCode());
      assertTrue(api.body().contains("starting"), api.body());
      store.migrate();
      server.serve();
      assertEquals(200, get(base + "/ready", null).statusCode());
    } finally {
      TempDirs.delete(dir);
    }
  }

  private static HttpResponse<String> get(String url, String key) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (key != null) b.header("wandb-api-key", key);
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
