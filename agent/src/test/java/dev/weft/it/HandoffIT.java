package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A call nests under the call that handed work to another thread, and nothing leaks. */
class HandoffIT {
  static final String APP = "dev.weft.it.apps.HandoffApp";

  /** Every work call nests directly under its scenario call, in the same trace, on another thread. */
  static void assertNested(AgentRun.Result run, String scenario, Set<String> labels) {
    JsonNode parent = run.where(c -> c.get("op_name").asText().equals("HandoffApp.scenario")
        && c.at("/inputs/name").asText().equals(scenario)).get(0);
    List<JsonNode> children = run.childrenOf(parent);
    assertEquals(labels, children.stream().map(c -> c.at("/inputs/label").asText()).collect(Collectors.toSet()),
        () -> scenario + ": children of the scenario call; all calls: " + run.calls);
    for (JsonNode c : children) {
      assertEquals(parent.get("trace_id"), c.get("trace_id"));
      String label = c.at("/inputs/label").asText();
      // ForkJoinTask.get() from outside the pool may run a still-queued task itself.
      if (!label.startsWith("common-submit")) {
        assertNotEquals("main", c.at("/attributes/java/thread").asText(), () -> label + " ran on main");
      }
    }
  }

  @Test
  void executorsCompletableFuturesAndThreadsCarryTheCall() throws Exception {
    AgentRun.Result run = AgentRun.app()
        .run(APP, "fixed", "cached", "common", "completable", "thread", "scheduled")
        .assertOk();
    assertNested(run, "fixed", Set.of("fixed-submit", "fixed-execute", "fixed-invokeAll"));
    assertNested(run, "cached", Set.of("cached-submit"));
    assertNested(run, "common", Set.of("common-submit", "common-submit-runnable", "common-execute"));
    assertNested(run, "completable", Set.of("cf-supplyAsync", "cf-thenApplyAsync", "cf-runAsync", "cf-supplyAsync-pool"));
    assertNested(run, "thread", Set.of("thread-start"));
    assertNested(run, "scheduled", Set.of("scheduled-callable", "scheduled-runnable"));
  }

  @Test
  void commonPoolWithSeveralWorkersCarriesTheCall() throws Exception {
    // With parallelism > 1, CompletableFuture uses the common pool instead of a thread per task.
    AgentRun.Result run = AgentRun.app()
        .jvmArg("-Djava.util.concurrent.ForkJoinPool.common.parallelism=4")
        .run(APP, "common", "completable")
        .assertOk();
    assertNested(run, "common", Set.of("common-submit", "common-submit-runnable", "common-execute"));
    assertNested(run, "completable", Set.of("cf-supplyAsync", "cf-thenApplyAsync", "cf-runAsync", "cf-supplyAsync-pool"));
  }

  @Test
  void consoleExporterPrintsEachTraceAsATree() throws Exception {
    AgentRun.Result run = AgentRun.app().agentArg("exporters=console").run(APP, "fixed").assertOk();
    String tree = run.stderr.substring(run.stderr.indexOf("[weft] trace "));
    String[] lines = tree.split("\n");
    assertTrue(lines[0].matches("\\[weft] trace [0-9a-f]{32}"), lines[0]);
    assertTrue(lines[1].matches("HandoffApp\\.scenario  [0-9.]+ (ms|s|µs)  ✓"), lines[1]);
    assertTrue(lines[2].startsWith("├─ HandoffApp.work  "), lines[2]);
    assertTrue(lines[4].startsWith("└─ HandoffApp.work  "), lines[4]);
    assertTrue(run.calls.isEmpty(), "console only: no JSONL written");
  }

  @Test
  void nothingLeaksIntoLaterTasksOnPooledThreads() throws Exception {
    AgentRun.Result run = AgentRun.app().run(APP, "leak").assertOk();
    for (String label : List.of("leak-pool", "leak-common")) {
      JsonNode work = run.where(c -> c.at("/inputs/label").asText().equals(label)).get(0);
      assertTrue(work.get("parent_id").isNull(), label + " must be a root: " + work);
    }
  }

  @Test
  void virtualThreadsCarryTheCall() throws Exception {
    Path jdk = Jdks.find(21);
    assumeTrue(jdk != null, "no JDK 21+ found beside the default JDK; virtual threads need one");
    AgentRun.Result run = AgentRun.app().javaHome(jdk).run(APP, "virtual", "fixed", "completable").assertOk();
    assertNested(run, "virtual", Set.of("virtual-executor", "virtual-start"));
    assertNested(run, "fixed", Set.of("fixed-submit", "fixed-execute", "fixed-invokeAll"));
    assertNested(run, "completable", Set.of("cf-supplyAsync", "cf-thenApplyAsync", "cf-runAsync", "cf-supplyAsync-pool"));
  }
}
