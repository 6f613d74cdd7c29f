package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.Browser;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's main command, end to end: quickstart.sh (with --exit, on its own port and data
 * folder) builds nothing, starts the server, evaluates Triage and runs the demo under the agent
 * three times; then the stored evaluation, traces, runs and metrics are read back through the API
 * and the UI renders them.
 */
class QuickstartIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String PROJECT = "local/patchpilot";
  private static final Set<String> AGENT_OPS = Set.of("TesterAgent.runTest", "TriageAgent.diagnose",
      "FixerAgent.generatePatch", "VerifierAgent.verify");
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void theMainJobTracesThreeRunsThatTheUiShows() throws Exception {
    Path repo = Path.of(System.getProperty("weft.repo", "..")).toRealPath();
    Path data = Files.createTempDirectory("weft-quickstart");
    int port = freePort();
    Process script = new ProcessBuilder("bash", "quickstart.sh", "--no-build", "--exit", "--port", String.valueOf(port),
        "--data", data.toString()).directory(repo.toFile()).redirectErrorStream(true).start();
    script.getOutputStream().close();
    String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(script.waitFor(5, TimeUnit.MINUTES), output);
    assertEquals(0, script.exitValue(), output);
    Matcher link = Pattern.compile("Trace view:  (http://127\\.0\\.0\\.1:" + port + "/#/local/patchpilot/traces/(\\w+))")
        .matcher(output);
    assertTrue(link.find(), output);
    assertTrue(output.contains("Dashboard:   http://127.0.0.1:" + port + "/#/local/patchpilot/dashboard"), output);
    Matcher evaluation = Pattern.compile("Evaluation:  (http://127\\.0\\.0\\.1:" + port
        + "/#/local/patchpilot/evaluations/(\\w+))").matcher(output);
    assertTrue(evaluation.find(), output);
    assertTrue(output.contains("└─ Orchestrator.fixBug"), "the last run's tree is printed: " + output);

    // The script stopped its server on exit; what it acknowledged is in the store. Serve it again.
    Process server = new ProcessBuilder("java", "-jar", repo.resolve("server/target/weft-server.jar").toString(),
        "serve", "--port", String.valueOf(port), "--data", data.toString()).redirectErrorStream(true).start();
    try {
      awaitListening(server);
      String base = "http://127.0.0.1:" + port;
      checkTraces(base, link.group(2), evaluation.group(2));
      checkRuns(base);
      checkUi(base, link.group(1), evaluation.group(1));
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  private void checkTraces(String base, String lastTrace, String evaluationId) throws Exception {
    JsonNode all = post(base, "/calls/query", "{\"project_id\":\"" + PROJECT + "\",\"filter\":{\"trace_roots_only\":true},"
        + "\"sort_by\":[{\"field\":\"started_at\",\"direction\":\"asc\"}]}").get("calls");
    assertEquals(4, all.size(), "the evaluation, then three runs: " + all);
    assertEquals(evaluationId, all.get(0).get("id").asText(), "the printed link is the evaluation's");
    assertEquals("Evaluation.evaluate", op(all.get(0)));
    List<JsonNode> roots = new ArrayList<>();
    for (int i = 1; i < 4; i++) roots.add(all.get(i));
    assertEquals(lastTrace, roots.get(2).get("trace_id").asText(), "the printed link is the last run's trace");
    Set<String> runIds = new HashSet<>();
    for (JsonNode root : roots) {
      assertEquals("Orchestrator.run", op(root));
      assertEquals("success", root.at("/summary/weave/status").asText());
      runIds.add(root.get("wb_run_id").asText());
      JsonNode calls = post(base, "/calls/query", "{\"project_id\":\"" + PROJECT + "\",\"filter\":{\"trace_ids\":[\""
          + root.get("trace_id").asText() + "\"]}}").get("calls");
      Map<String, JsonNode> byId = new HashMap<>();
      for (JsonNode c : calls) byId.put(c.get("id").asText(), c);
      Set<String> ops = new HashSet<>();
      for (JsonNode c : calls) {
        ops.add(op(c));
        // Every call hangs under this run's root, whatever thread of the pool it ran on.
        JsonNode at = c;
        for (int hops = 0; !at.get("parent_id").isNull(); hops++) {
          assertTrue(hops < 10, "no cycle");
          at = byId.get(at.get("parent_id").asText());
          assertTrue(at != null, "parent of " + c.get("id") + " is in the trace");
        }
        assertEquals(root.get("id").asText(), at.get("id").asText());
      }
      assertTrue(ops.containsAll(AGENT_OPS), ops.toString());
      for (JsonNode c : calls) {
        if (op(c).equals("VerifierAgent.verify")) {
          assertEquals("Orchestrator.fixBug", op(byId.get(c.get("parent_id").asText())), "verify runs inside a fix");
        }
      }
    }
    assertEquals(3, runIds.size(), "each trace belongs to its own run");
  }

  private void checkRuns(String base) throws Exception {
    JsonNode runs = post(base, "/runs/query", "{\"project_id\":\"" + PROJECT + "\"}").get("runs");
    assertEquals(4, runs.size(), runs.toString());
    List<JsonNode> oldestFirst = new ArrayList<>();
    runs.forEach(r -> oldestFirst.add(0, r));
    JsonNode evaluationRun = oldestFirst.remove(0);
    assertEquals("patchpilot-eval", evaluationRun.get("name").asText(), "the evaluation's JVM is a run too");
    assertEquals("finished", evaluationRun.get("state").asText());
    for (int i = 0; i < 3; i++) {
      JsonNode run = oldestFirst.get(i);
      assertEquals("patchpilot-" + (i + 1), run.get("name").asText());
      assertEquals("finished", run.get("state").asText());
      for (String m : List.of("pass_rate", "fix_time_seconds", "iterations_total", "bugs_found", "bugs_fixed", "cache_hit_rate")) {
        assertTrue(run.at("/latest_metrics/" + m).isNumber(), m + " in " + run);
      }
      assertTrue(run.at("/summary/bug_types").isObject(), run.toString());
      JsonNode history = post(base, "/run/history", "{\"project_id\":\"" + PROJECT + "\",\"run_id\":\""
          + run.get("id").asText() + "\",\"metrics\":[\"pass_rate\"]}").get("points");
      assertTrue(history.size() >= 3, "pass_rate at several steps: " + history);
    }
    // A cold fix cache first, then a warm one: the later runs hit it and do no worse.
    assertEquals(0.0, oldestFirst.get(0).at("/latest_metrics/cache_hit_rate").asDouble());
    assertTrue(oldestFirst.get(2).at("/latest_metrics/cache_hit_rate").asDouble() > 0.5);
    assertTrue(oldestFirst.get(2).at("/latest_metrics/pass_rate").asDouble()
        >= oldestFirst.get(0).at("/latest_metrics/pass_rate").asDouble());
    assertTrue(oldestFirst.get(2).at("/latest_metrics/iterations_total").asDouble()
        <= oldestFirst.get(0).at("/latest_metrics/iterations_total").asDouble());
  }

  private void checkUi(String base, String traceLink, String evaluationLink) throws Exception {
    try (Browser browser = Browser.start()) {
      browser.open(evaluationLink);
      browser.await("a row per seeded bug", d -> browser.all("#rows tbody tr").size() == 9);
      assertEquals("triage-eval", browser.one("#evaluation-name").getText());

      browser.open(traceLink);
      browser.await("the trace tree", d -> browser.all(".node").size() > 10);
      assertEquals("Orchestrator.run", browser.one(".node[aria-level='1'] .op").getText());
      assertTrue(browser.all(".node[aria-level='3']").size() > 0, "agents nest under fixBug");
      // Select a fix to show its agents and the detail pane in the screenshot.
      browser.one(".node[aria-level='2'][aria-expanded] .op").click();
      browser.await("the detail", d -> browser.one(".detail h2").getText().equals("Orchestrator.fixBug"));
      browser.screenshot("trace-view.png");

      browser.open(base + "/#/local/patchpilot/dashboard");
      browser.await("the four charts", d -> browser.all("canvas[data-chart]").size() == 4);
      Object points = browser.js("return Chart.getChart(document.querySelector('canvas[data-chart=across-runs]')).data.datasets[0].data.length");
      assertEquals(3L, points);
      browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(1440, 1500));
      Thread.sleep(300); // charts resize on the next frame
      browser.screenshot("dashboard.png");
    }
  }

  private static String op(JsonNode call) {
    String ref = call.get("op_name").asText();
    Matcher m = Pattern.compile("weave:///[^/]+/[^/]+/op/(.+):[^:]*").matcher(ref);
    return m.matches() ? m.group(1) : ref;
  }

  private JsonNode post(String base, String path, String body) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  private static void awaitListening(Process server) throws IOException {
    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = reader.readLine()) != null; ) {
      if (line.contains("listening on")) {
        Thread drain = new Thread(() -> reader.lines().forEach(l -> {}));
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new AssertionError("the server exited before listening");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
