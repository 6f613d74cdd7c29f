package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The agent's weave exporter against a live Weft server. */
class WeaveExportIT {

  @Test
  void nestedCallsOpsAndExceptionsReachTheServer() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result run = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/nesting").run("dev.weft.it.apps.NestingApp").assertOk();
      List<JsonNode> calls = server.calls("acme/nesting");
      Map<String, List<JsonNode>> byName = calls.stream()
          .collect(Collectors.groupingBy(c -> c.at("/summary/weave/trace_name").asText()));
      JsonNode root = byName.get("Orchestrator.run").get(0);
      assertTrue(root.get("op_name").asText().matches("weave:///acme/nesting/op/Orchestrator\\.run:[A-Za-z0-9]{43}"),
          root.get("op_name").asText());
      assertTrue(root.get("parent_id").isNull());
      assertEquals("descendant_error", root.at("/summary/weave/status").asText());
      assertEquals(0.75, root.at("/summary/metrics/pass_rate").asDouble());
      JsonNode verify = byName.get("Agents.verify").get(0);
      assertEquals(root.get("id"), verify.get("parent_id"));
      assertEquals("error", verify.at("/summary/weave/status").asText());
      assertTrue(verify.get("exception").asText().contains("\"type\":\"java.lang.IllegalArgumentException\""));
      assertEquals("bug-17#0", byName.get("TriageAgent.diagnose").get(0).at("/inputs/failure").asText());
      assertEquals(run.stdout.split("\n")[0].replaceAll(".*callId=(\\w+).*", "$1"), root.get("id").asText());
      JsonNode ops = server.post("/objs/query", "{\"project_id\":\"acme/nesting\",\"filter\":{\"is_op\":true}}");
      assertTrue(ops.get("objs").size() >= 10, ops.toString());
      // The ref the agent named the op by (its own digest) is the version the server stored.
      String[] ref = root.get("op_name").asText().replace("weave:///acme/nesting/op/", "").split(":");
      JsonNode op = server.post("/obj/read", "{\"project_id\":\"acme/nesting\",\"object_id\":\"" + ref[0]
          + "\",\"digest\":\"" + ref[1] + "\"}").get("obj");
      assertEquals(ref[1], op.get("digest").asText());
      assertEquals("Op", op.at("/val/weave_type/type").asText());
    }
  }

  @Test
  void callsSentCompressedArriveWhole() throws Exception {
    try (LiveServer server = new LiveServer()) {
      // 0.0.0.0 reaches this machine's server, but is not a loopback name: the agent gzips.
      String endpoint = server.base.replace("127.0.0.1", "0.0.0.0");
      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint)
          .agentArg("project=acme/gzip").run("dev.weft.it.apps.NestingApp").assertOk();
      List<JsonNode> calls = server.calls("acme/gzip");
      List<JsonNode> plain = new ArrayList<>();
      try (LiveServer other = new LiveServer()) {
        AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + other.base)
            .agentArg("project=acme/gzip").run("dev.weft.it.apps.NestingApp").assertOk();
        plain.addAll(other.calls("acme/gzip"));
      }
      assertEquals(plain.size(), calls.size());
      assertEquals(names(plain), names(calls));
    }
  }

  /**
   * A server that does not take gzip-compressed bodies (it reads them as malformed JSON and
   * answers 422, as a server that ignores Content-Encoding does) still gets every call: live
   * ones, spooled ones the next start uploads, and those `sync` uploads.
   */
  @Test
  void aServerThatTakesNoGzipGetsEverythingUncompressed() throws Exception {
    // As a server that ignores Content-Encoding: it reads the compressed bytes as malformed JSON.
    try (LiveServer server = new LiveServer(); Proxy proxy = new Proxy(server.base, (path, headers, body) ->
        "gzip".equalsIgnoreCase(headers.getFirst("Content-Encoding")) ? new Proxy.Refusal(422, "{\"detail\":\"malformed\"}") : null)) {
      java.util.concurrent.atomic.AtomicInteger refused = proxy.refused;
      // 0.0.0.0 reaches this machine's proxy, but is not a loopback name: the agent gzips.
      String endpoint = proxy.base("0.0.0.0");
      Path spool = TempDirs.create("weft-spool");
      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint).agentArg("project=acme/plain")
          .agentArg("spool.dir=" + spool).agentArg("mode=offline").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertTrue(!SpoolIT.spooled(spool).isEmpty());

      AgentRun.Result online = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint)
          .agentArg("project=acme/plain").agentArg("spool.dir=" + spool).run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertTrue(online.stderr.contains("sending requests uncompressed from now on"), online.stderr);
      assertTrue(refused.get() >= 1, "the first compressed request was refused");
      assertEquals(6, server.calls("acme/plain").size(), "this run's calls and the spooled ones");
      assertTrue(SpoolIT.spooled(spool).isEmpty(), "the spool was uploaded and emptied");
      assertTrue(!Files.exists(spool.resolve("rejected")), "nothing was refused for its encoding");

      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint).agentArg("project=acme/plain")
          .agentArg("spool.dir=" + spool).agentArg("mode=offline").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      int before = refused.get();
      String out = SpoolIT.sync(spool, endpoint);
      assertTrue(out.contains("uploading uncompressed from now on"), out);
      assertEquals(before + 1, refused.get(), "sync tried compression once: " + out);
      assertEquals(9, server.calls("acme/plain").size());
      assertTrue(SpoolIT.spooled(spool).isEmpty(), out);
    }
  }

  /**
   * A server that takes only requests of at most 25 KB gets every call: the agent sends the
   * calls of a larger request again in smaller ones, and keeps its requests that small.
   */
  @Test
  void aServerThatTakesOnlySmallRequestsGetsEveryCall() throws Exception {
    try (LiveServer server = new LiveServer(); Proxy proxy = new Proxy(server.base, (path, headers, body) ->
        body.length > 25_000 ? new Proxy.Refusal(413, "{\"detail\":\"too large\"}") : null)) {
      java.util.concurrent.atomic.AtomicInteger refused = proxy.refused;
      // Calls of about 10 KB each (a 10,000-character argument): three make a request too large.
      AgentRun.Result run = AgentRun.app().agentArg("exporters=weave")
          .agentArg("endpoint=" + proxy.base("127.0.0.1")).agentArg("project=acme/small")
          .agentArg("capture.max_string=20000").agentArg("capture.max_chars=20000")
          .run("dev.weft.it.apps.BigCallsApp", "40", "10000").assertOk();
      assertTrue(refused.get() >= 1, "a request was refused as too large: " + run.stderr);
      assertTrue(run.stderr.contains("sending requests of at most"), run.stderr);
      assertTrue(!run.stderr.contains("dropped"), run.stderr);
      assertEquals(40, server.calls("acme/small").size());
    }
  }

  private static List<String> names(List<JsonNode> calls) {
    return calls.stream().map(c -> c.at("/summary/weave/trace_name").asText()).sorted().collect(Collectors.toList());
  }

  @Test
  void aLongCallShowsAsRunningBeforeItEnds() throws Exception {
    try (LiveServer server = new LiveServer()) {
      longCall(AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/long"), server, "acme/long");
    }
  }

  /**
   * Runs LongCallApp under {@code agent}, whose long call must show in {@code project} as running
   * before it ends, and as a success once it has: returns it as first seen running.
   */
  static JsonNode longCall(AgentRun agent, LiveServer server, String project) throws Exception {
    Path go = TempDirs.create("weft-go").resolve("go");
    // The harness adds the jsonl exporter first; weave replaces it as the last exporters= wins.
    List<String> cmd = agent.command(Path.of("unused.jsonl"));
    cmd.add("dev.weft.it.apps.LongCallApp");
    cmd.add(go.toString());
    Process app = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream()));
    assertEquals("running", out.readLine());
    JsonNode running = server.awaitCall(project, "LongCallApp.longRunning");
    assertTrue(running != null, "the running call reached the server before it ended");
    assertEquals("running", running.at("/summary/weave/status").asText());
    assertTrue(running.get("ended_at").isNull());
    Files.createFile(go);
    assertEquals("finished", out.readLine());
    assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, app.exitValue());
    JsonNode done = server.post("/call/read", "{\"project_id\":\"" + project + "\",\"id\":\""
        + running.get("id").asText() + "\"}").get("call");
    assertEquals("success", done.at("/summary/weave/status").asText());
    assertEquals("finished", done.get("output").asText());
    return running;
  }
}
