package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A project in hosted Weave's calls_complete mode: the legacy call routes answer 400
 * {@code CALLS_COMPLETE_MODE_REQUIRED}, and only {@code /v2/{entity}/{project}/calls/complete},
 * {@code call/start} and {@code call/end} take calls. Nothing may be lost: not live calls, not a
 * spool written in the legacy form, not what {@code sync} uploads.
 */
class CallsCompleteIT {
  private static final String REQUIRED =
      "{\"error_code\":\"CALLS_COMPLETE_MODE_REQUIRED\",\"message\":\"this project takes calls through calls/complete\"}";

  /** In front of a live Weft server, refusing the legacy call routes as hosted Weave does. */
  static Proxy completeOnly(LiveServer server) throws Exception {
    return new Proxy(server.base, (path, headers, body) ->
        List.of("/call/upsert_batch", "/call/start", "/call/end").contains(path) ? new Proxy.Refusal(400, REQUIRED) : null);
  }

  @Test
  void everyCallOpAndRunArrivesLiveFromTheSpoolAndThroughSync() throws Exception {
    try (LiveServer server = new LiveServer(); Proxy proxy = completeOnly(server)) {
      String endpoint = proxy.base("127.0.0.1");
      Path spool = TempDirs.create("weft-spool");
      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint).agentArg("project=acme/complete")
          .agentArg("spool.dir=" + spool).agentArg("mode=offline").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertTrue(SpoolIT.spooled(spool).stream().anyMatch(f -> f.toString().endsWith(".call_upsert_batch.json.gz")),
          "offline, calls are spooled in the legacy form");

      // Live calls and the spool: the first 400 switches the project, and the refused batch goes again.
      AgentRun.Result online = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint)
          .agentArg("project=acme/complete").agentArg("spool.dir=" + spool).run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertTrue(online.stderr.contains("calls_complete mode"), online.stderr);
      assertFalse(online.stderr.contains("dropped"), online.stderr);
      assertEquals(6, server.calls("acme/complete").size(), "this run's calls and the spooled ones");
      assertTrue(SpoolIT.spooled(spool).isEmpty(), "the spool was uploaded and emptied");
      assertFalse(Files.exists(spool.resolve("rejected")), "nothing was refused");
      assertTrue(proxy.paths.contains("/v2/acme/complete/calls/complete"), proxy.paths.toString());

      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint).agentArg("project=acme/complete")
          .agentArg("spool.dir=" + spool).agentArg("mode=offline").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      String out = SpoolIT.sync(spool, endpoint);
      assertTrue(out.contains("calls_complete mode"), out);
      assertEquals(9, server.calls("acme/complete").size(), out);
      assertTrue(SpoolIT.spooled(spool).isEmpty(), out);

      for (JsonNode c : server.calls("acme/complete")) {
        assertEquals("success", c.at("/summary/weave/status").asText(), c.toString());
        JsonNode op = server.post("/obj/read", "{\"project_id\":\"acme/complete\",\"object_id\":\"RunApp.fixBug\",\"digest\":\""
            + c.get("op_name").asText().replaceAll(".*:", "") + "\"}").get("obj");
        assertEquals("Op", op.at("/val/weave_type/type").asText(), "the op each call names was published");
      }
      JsonNode runs = server.post("/runs/query", "{\"project_id\":\"acme/complete\"}").get("runs");
      assertEquals(3, runs.size());
      for (JsonNode r : runs) {
        assertEquals("finished", r.get("state").asText(), r.toString());
        assertEquals(0.75, r.at("/latest_metrics/pass_rate").asDouble(), r.toString());
      }
    }
  }

  @Test
  void nestedCallsAcrossThreadsArriveAsTheyDoThroughTheLegacyRoute() throws Exception {
    try (LiveServer server = new LiveServer(); Proxy proxy = completeOnly(server)) {
      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + proxy.base("127.0.0.1"))
          .agentArg("project=acme/nested").run("dev.weft.it.apps.NestingApp").assertOk();
      AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/legacy").run("dev.weft.it.apps.NestingApp").assertOk();
      List<JsonNode> complete = server.calls("acme/nested");
      List<JsonNode> legacy = server.calls("acme/legacy");
      assertEquals(legacy.size(), complete.size());
      assertEquals(shape(legacy), shape(complete), "the same tree: op, status and parent's op of every call");
    }
  }

  @Test
  void chosenUpFrontNoLegacyRequestIsSent() throws Exception {
    try (LiveServer server = new LiveServer(); Proxy proxy = completeOnly(server)) {
      AgentRun.Result run = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + proxy.base("127.0.0.1"))
          .agentArg("project=acme/upfront").agentArg("calls_complete=true").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      assertEquals(0, proxy.refused.get(), proxy.paths.toString());
      assertEquals(3, server.calls("acme/upfront").size(), run.stderr);
    }
  }

  @Test
  void aLongCallShowsAsRunningThroughCallStartAndEndsThroughCallEnd() throws Exception {
    try (LiveServer server = new LiveServer(); Proxy proxy = completeOnly(server)) {
      WeaveExportIT.longCall(AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + proxy.base("127.0.0.1"))
          .agentArg("project=acme/long").agentArg("calls_complete=true"), server, "acme/long");
      assertTrue(proxy.paths.indexOf("/v2/acme/long/call/start") >= 0, proxy.paths.toString());
      assertTrue(proxy.paths.indexOf("/v2/acme/long/call/end") > proxy.paths.indexOf("/v2/acme/long/call/start"),
          proxy.paths.toString());
      assertEquals(0, proxy.refused.get(), proxy.paths.toString());
    }
  }

  /** Each call as op, status and its parent's op, sorted: a trace's shape without its ids. */
  private static List<String> shape(List<JsonNode> calls) {
    java.util.Map<String, String> opById = new java.util.HashMap<>();
    for (JsonNode c : calls) opById.put(c.get("id").asText(), c.at("/summary/weave/trace_name").asText());
    return calls.stream().map(c -> c.at("/summary/weave/trace_name").asText() + " " + c.at("/summary/weave/status").asText()
        + " under " + opById.get(c.get("parent_id").asText(""))).sorted().collect(java.util.stream.Collectors.toList());
  }
}
