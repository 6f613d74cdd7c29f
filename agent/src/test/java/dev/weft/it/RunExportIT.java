package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each agent start is a run on the server: metrics history, summary, config, tables, environment, state. */
class RunExportIT {
  static AgentRun.Result run(LiveServer server, String project, String how) throws Exception {
    return AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
        .agentArg("project=" + project).agentArg("tags=nightly,ci").agentArg("group=fixers")
        .agentArg("config.max_iterations=5").run("dev.weft.it.apps.RunApp", how);
  }

  static String runId(AgentRun.Result r) {
    return r.stdout.lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().substring(4);
  }

  @Test
  void aRunThatEndsNormallyIsFinishedWithItsHistoryAndEnvironment() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result r = run(server, "acme/runs", "ok").assertOk();
      String id = runId(r);
      JsonNode run = server.post("/run/read", "{\"project_id\":\"acme/runs\",\"id\":\"" + id + "\"}").get("run");
      assertEquals("finished", run.get("state").asText(), run.toString());
      assertTrue(run.get("name").asText().startsWith("RunApp-"), run.toString());
      assertEquals(List.of("nightly", "ci"), AgentRun.JSON.convertValue(run.get("tags"), List.class));
      assertEquals("fixers", run.get("group").asText());
      assertEquals(42, run.at("/config/seed").asInt());
      assertEquals("5", run.at("/config/max_iterations").asText());
      assertEquals(Runtime.getRuntime().availableProcessors(), run.at("/environment/cpus").asInt());
      assertTrue(run.at("/environment/java_version").asText().length() > 0);
      assertTrue(run.at("/environment/git/commit").asText().matches("[0-9a-f]{40}"), "the tests run inside a git checkout: " + run.get("environment"));
      assertTrue(run.at("/environment/git").has("dirty"));
      assertEquals(2, run.at("/summary/bug_types/off-by-one").asInt());
      assertEquals(0, run.at("/summary/weft/dropped_calls").asInt());
      assertEquals(0.75, run.at("/latest_metrics/pass_rate").asDouble());

      JsonNode points = server.post("/run/history", "{\"project_id\":\"acme/runs\",\"run_id\":\"" + id + "\",\"metrics\":[\"pass_rate\"]}").get("points");
      assertEquals(3, points.size());
      assertEquals(List.of(0, 1, 2), List.of(points.get(0).get("step").asInt(), points.get(1).get("step").asInt(), points.get(2).get("step").asInt()));
      JsonNode table = server.post("/run/tables", "{\"project_id\":\"acme/runs\",\"run_id\":\"" + id + "\"}").at("/tables/0");
      assertEquals("recent_fixes", table.get("name").asText());
      assertEquals("Calc.add", table.at("/rows/0/0").asText());

      // Calls carry the run and the step they started at; metrics logged inside land in the call too.
      List<JsonNode> calls = server.calls("acme/runs");
      assertEquals(3, calls.size());
      for (int i = 0; i < 3; i++) {
        assertEquals("acme/runs/" + id, calls.get(i).get("wb_run_id").asText());
        assertEquals(i, calls.get(i).get("wb_run_step").asInt());
        assertEquals(points.get(i).get("call_id").asText(), calls.get(i).get("id").asText());
      }
      assertEquals(0.5, calls.get(1).at("/summary/metrics/pass_rate").asDouble());
    }
  }

  @Test
  void aNonZeroExitOrAThrowingMainFailsTheRun() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result exit = run(server, "acme/failing", "exit3");
      assertEquals(3, exit.exitCode, "the app's exit code is unchanged");
      AgentRun.Result thrown = run(server, "acme/failing", "throw");
      assertEquals(1, thrown.exitCode);
      assertTrue(thrown.stderr.contains("main failed"));
      for (AgentRun.Result r : List.of(exit, thrown)) {
        JsonNode run = server.post("/run/read", "{\"project_id\":\"acme/failing\",\"id\":\"" + runId(r) + "\"}").get("run");
        assertEquals("failed", run.get("state").asText(), run.toString());
        assertTrue(run.get("tags").toString().contains("\"failed\""), run.toString());
        assertEquals(0.75, run.at("/latest_metrics/pass_rate").asDouble(), "metrics logged before the end are kept");
      }
    }
  }

  @Test
  void logEveryKeepsEveryNthStepOfAHotLoop() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result r = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/every").agentArg("log.every=2").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      JsonNode points = server.post("/run/history", "{\"project_id\":\"acme/every\",\"run_id\":\"" + runId(r)
          + "\",\"metrics\":[\"pass_rate\"]}").get("points");
      assertEquals(2, points.size(), points.toString());
      assertEquals(0, points.get(0).get("step").asInt());
      assertEquals(2, points.get(1).get("step").asInt());
      assertEquals(0.75, points.get(1).get("value").asDouble());
    }
  }
}
