package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * weft.run.id and weft.resume, end to end through a real server: a job that goes on with its run
 * continues its steps; must and never stop the app at once with a clear error; a killed app's run
 * becomes crashed, and can still be resumed.
 */
class RunResumeIT {
  static final String APP = "dev.weft.it.apps.ResumeApp";
  static final String PROJECT = "acme/training";

  static AgentRun app(LiveServer server, String runId, String resume) {
    return AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base).agentArg("project=" + PROJECT)
        .agentArg("run.id=" + runId).agentArg("resume=" + resume);
  }

  static JsonNode run(LiveServer server, String id) throws Exception {
    return server.post("/run/read", "{\"project_id\":\"" + PROJECT + "\",\"id\":\"" + id + "\"}").get("run");
  }

  static List<Long> steps(LiveServer server, String id) throws Exception {
    List<Long> out = new ArrayList<>();
    for (JsonNode p : server.post("/run/history", "{\"project_id\":\"" + PROJECT + "\",\"run_id\":\"" + id
        + "\",\"metrics\":[\"loss\"]}").get("points")) {
      out.add(p.get("step").asLong());
    }
    return out;
  }

  @Test
  void aResumedRunContinuesItsStepsAndMustAndNeverRefuseClearly() throws Exception {
    try (LiveServer server = new LiveServer()) {
      app(server, "job-7", "never").run(APP, "steps", "0.1").assertOk();
      assertEquals(List.of(0L, 1L, 2L), steps(server, "job-7"));
      assertEquals("finished", run(server, "job-7").get("state").asText());

      AgentRun.Result taken = app(server, "job-7", "never").run(APP, "steps", "0.1");
      assertEquals(1, taken.exitCode, "never, and the run exists: the app does not start");
      assertTrue(taken.stderr.contains("[weft] error: run job-7 exists in acme/training, and weft.resume is never"), taken.stderr);
      assertTrue(!taken.stdout.contains("logged"), taken.stdout);

      AgentRun.Result missing = app(server, "job-8", "must").run(APP, "steps", "0.1");
      assertEquals(1, missing.exitCode);
      assertTrue(missing.stderr.contains("no run job-8 in acme/training to resume"), missing.stderr);

      app(server, "job-7", "allow").run(APP, "steps", "0.2").assertOk();
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), steps(server, "job-7"), "steps go on after the last one");
      JsonNode run = run(server, "job-7");
      assertEquals("finished", run.get("state").asText());
      assertEquals(0.2, run.at("/config/lr").asDouble(), "the newer config wins");
      assertEquals(5, run.get("last_step").asLong());
      assertEquals(1, server.post("/runs/query", "{\"project_id\":\"" + PROJECT + "\"}").get("runs").size(), "one run, not two");
    }
  }

  @Test
  void aKilledAppsRunBecomesCrashedAndCanBeResumed() throws Exception {
    try (LiveServer server = new LiveServer("--run-timeout-seconds", "5")) {
      AgentRun.Running job = app(server, "job-9", "allow").start(APP, "hang", "0.1");
      job.awaitLine("logged");
      for (long deadline = System.nanoTime() + 30_000_000_000L; steps(server, "job-9").isEmpty(); Thread.sleep(100)) {
        assertTrue(System.nanoTime() < deadline, "the first step reached the server");
      }
      Thread.sleep(7_000); // longer than the timeout: a run whose agent is alive stays running
      assertEquals("running", run(server, "job-9").get("state").asText(), "heartbeats keep it running");
      job.kill();
      String state = "running";
      for (long deadline = System.nanoTime() + 30_000_000_000L; state.equals("running") && System.nanoTime() < deadline; Thread.sleep(250)) {
        state = run(server, "job-9").get("state").asText();
      }
      assertEquals("crashed", state, "not heard from for 5 s");

      app(server, "job-9", "must").run(APP, "steps", "0.1").assertOk();
      assertEquals("finished", run(server, "job-9").get("state").asText());
      assertEquals(List.of(0L, 1L, 2L, 3L), steps(server, "job-9"));
    }
  }
}
