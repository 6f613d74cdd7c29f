package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** With the server away, calls and the run go to the spool; `sync` uploads them later, nothing lost. */
class SpoolIT {
  static List<Path> spooled(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".json.gz")).sorted().collect(Collectors.toList());
    }
  }

  /** Runs the server jar's {@code sync} on {@code spool}; returns what it printed, once it exited 0. */
  static String sync(Path spool, String endpoint) throws Exception {
    Process sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("weft.server.jar", "../server/target/weft-server.jar")).toAbsolutePath().toString(),
        "sync", "--spool", spool.toString(), "--endpoint", endpoint).redirectErrorStream(true).start();
    String out = new String(sync.getInputStream().readAllBytes());
    assertTrue(sync.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, sync.exitValue(), out);
    return out;
  }

  @Test
  void anUnreachableServerSpoolsEverythingAndSyncUploadsIt() throws Exception {
    Path spool = TempDirs.create("weft-spool");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    long t0 = System.nanoTime();
    AgentRun.Result run = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=http://127.0.0.1:" + port)
        .agentArg("project=acme/offline").agentArg("spool.dir=" + spool).agentArg("flush.timeout=3000")
        .run("dev.weft.it.apps.RunApp", "ok");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(0, run.exitCode, run.stderr);
    assertTrue(ms < 15_000, "exited on time: " + ms + " ms");
    assertTrue(run.stderr.contains("sync --spool"), "says how to upload: " + run.stderr);
    List<Path> files = spooled(spool);
    assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".call_upsert_batch.json.gz")), files.toString());
    assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".run_finish.json.gz")), files.toString());
    String runId = run.stdout.lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().substring(4);

    try (LiveServer server = new LiveServer()) {
      String out = sync(spool, server.base);
      assertTrue(out.contains("uploaded " + files.size() + " file(s)"), out);
      assertTrue(spooled(spool).isEmpty(), "acknowledged files are removed");

      List<JsonNode> calls = server.calls("acme/offline");
      assertEquals(3, calls.size(), calls.toString());
      for (JsonNode c : calls) assertEquals("success", c.at("/summary/weave/status").asText());
      JsonNode r = server.post("/run/read", "{\"project_id\":\"acme/offline\",\"id\":\"" + runId + "\"}").get("run");
      assertEquals("finished", r.get("state").asText(), r.toString());
      assertEquals(0.75, r.at("/latest_metrics/pass_rate").asDouble());
      assertEquals(0, r.at("/summary/weft/dropped_calls").asInt(), "nothing dropped while the spool had room");
    }
  }

  @Test
  void offlineModeOnlySpoolsAndTheNextStartUploads() throws Exception {
    Path spool = TempDirs.create("weft-spool");
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result offline = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/later").agentArg("spool.dir=" + spool).agentArg("mode=offline")
          .run("dev.weft.it.apps.RunApp", "ok");
      assertEquals(0, offline.exitCode, offline.stderr);
      assertTrue(server.calls("acme/later").isEmpty(), "offline: nothing sent");
      assertTrue(!spooled(spool).isEmpty());

      AgentRun.Result online = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/later").agentArg("spool.dir=" + spool)
          .run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertEquals(6, server.calls("acme/later").size(), "this run's calls and the spooled ones");
      assertTrue(spooled(spool).isEmpty(), "the spool was uploaded and emptied");
      assertTrue(online.stderr.contains("uploaded"), online.stderr);
      JsonNode runs = server.post("/runs/query", "{\"project_id\":\"acme/later\"}").get("runs");
      assertEquals(2, runs.size());
      for (JsonNode r : runs) assertEquals("finished", r.get("state").asText(), r.toString());
      // Calls made offline name their op by the same ref as online ones, and the op was
      // published from the spool: it reads back by that ref, with its code.
      java.util.Set<String> refs = new java.util.HashSet<>();
      for (JsonNode c : server.calls("acme/later")) refs.add(c.get("op_name").asText());
      for (String ref : refs) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("weave:///acme/later/op/([^:]+):(\\w+)").matcher(ref);
        assertTrue(m.matches(), "an op ref: " + ref);
        JsonNode op = server.post("/obj/read", "{\"project_id\":\"acme/later\",\"object_id\":\"" + m.group(1)
            + "\",\"digest\":\"" + m.group(2) + "\"}").get("obj");
        assertEquals(m.group(2), op.get("digest").asText(), ref);
        String file = op.at("/val/files/obj.py").asText();
        String code = server.postText("/file/content", "{\"project_id\":\"acme/later\",\"digest\":\"" + file + "\"}");
        assertTrue(code.contains("traced by Weft as op"), code);
      }
      assertEquals(1, refs.size(), "RunApp's one op, under one ref offline and online: " + refs);
    }
  }
}
