package dev.weft.it;

import static dev.weft.it.AgentRun.assertChildOf;
import static dev.weft.it.AgentRun.duration;
import static dev.weft.it.AgentRun.exception;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A traced Kotlin {@code suspend fun} is one call from its first invocation to its final return or
 * throw, however often it suspends, with its real parameters as inputs; what it starts in launch,
 * async or withContext, on any dispatcher, nests under the current call, and nothing leaks into
 * unrelated coroutines.
 */
class CoroutinesIT {
  static final String APP = "dev.weft.it.apps.CoroutinesApp";
  static final String OUTPUT = "fetch: item-10\n"
      + "poll: 3\n"
      + "fanOut: [item-1, item-2, item-3]\n"
      + "onDefault: 49\n"
      + "failing: caught fetch failed: down\n"
      + "quick: 42\n"
      + "launched: item-20\n"
      + "run: done\n"
      + "global: root-global\n"
      + "blocking: root-blocking\n";

  static AgentRun.Result run;

  static AgentRun app() {
    return AgentRun.app().classpath(AgentRun.testClasspathWith("kotlin-stdlib", "kotlinx-coroutines-core-jvm"));
  }

  @BeforeAll
  static void runApp() throws Exception {
    // Not asserted here: a failing app is one failing test, the calls it wrote are still checked.
    run = app().run(APP);
  }

  /** The fetch call whose input {@code id} is {@code id}: exactly one. */
  static JsonNode fetch(int id) {
    List<JsonNode> found = run.where(c -> c.get("op_name").asText().equals("CoroutinesApp.fetch")
        && c.at("/inputs/id").asInt(-1) == id);
    assertEquals(1, found.size(), () -> "calls of fetch(" + id + ") in " + run.ops("CoroutinesApp.fetch"));
    return found.get(0);
  }

  @Test
  void theAppBehavesAsWithoutTheAgent() throws Exception {
    AgentRun.assertBehavesAsWithoutTheAgent(app(), APP, run, OUTPUT);
  }

  @Test
  void aSuspendFunctionIsOneCallPerInvocationHoweverOftenItSuspends() {
    assertEquals(5, run.ops("CoroutinesApp.fetch").size(), () -> "fetch was invoked 5 times: " + run.opNames());
    JsonNode poll = run.one("CoroutinesApp.poll");
    assertEquals(3, poll.get("output").asInt(-1), poll::toString);
    AgentRun.assertLastsAtLeast(3 * 20, poll);
  }

  @Test
  void aSuspendCallLastsUntilItsFinalReturnWithItsValueAsOutput() {
    JsonNode fetch = fetch(10);
    assertEquals("item-10", fetch.get("output").asText(), fetch::toString);
    assertTrue(fetch.get("exception").isNull(), fetch::toString);
    AgentRun.assertLastsAtLeast(100, fetch);
  }

  @Test
  void inputsAreTheRealParametersNeverTheContinuation() {
    for (JsonNode call : run.calls) {
      assertFalse(call.get("inputs").has("$completion"), () -> "no continuation in the inputs: " + call);
    }
    assertEquals(List.of("id"), fieldNames(fetch(10).get("inputs")));
    assertEquals("down", run.one("CoroutinesApp.failing").at("/inputs/why").asText());
    assertEquals(List.of("x"), fieldNames(run.one("CoroutinesApp.quick").get("inputs")));
  }

  static List<String> fieldNames(JsonNode object) {
    List<String> names = new java.util.ArrayList<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  @Test
  void callsInsideRunBlockingNestUnderTheCallThatRanIt() {
    JsonNode root = run.one("CoroutinesApp.run");
    assertTrue(root.get("parent_id").isNull());
    for (JsonNode child : List.of(fetch(10), run.one("CoroutinesApp.poll"), run.one("CoroutinesApp.fanOut"),
        run.one("CoroutinesApp.onDefault"), run.one("CoroutinesApp.failing"), run.one("CoroutinesApp.quick"))) {
      assertChildOf(root, child);
    }
    AgentRun.assertLastsAtLeast(100 + 3 * 20 + 100 + 50 + 100, root);
  }

  @Test
  void asyncChildrenNestUnderTheSuspendCallThatStartedThem() {
    JsonNode fanOut = run.one("CoroutinesApp.fanOut");
    for (int id = 1; id <= 3; id++) assertChildOf(fanOut, fetch(id));
    assertEquals(List.of("item-1", "item-2", "item-3"), texts(fanOut.get("output")), fanOut::toString);
    AgentRun.assertLastsAtLeast(100, fanOut);
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new java.util.ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void withContextOnAnotherDispatcherNestsUnderTheCall() {
    JsonNode onDefault = run.one("CoroutinesApp.onDefault");
    JsonNode compute = run.one("CoroutinesApp.compute");
    assertChildOf(onDefault, compute);
    assertTrue(compute.at("/attributes/java/thread").asText().startsWith("DefaultDispatcher-worker"), compute::toString);
    assertEquals(49, onDefault.get("output").asInt(-1), onDefault::toString);
  }

  @Test
  void launchOnTheIoDispatcherNestsUnderTheCurrentCall() {
    JsonNode launched = fetch(20);
    assertChildOf(run.one("CoroutinesApp.run"), launched);
    assertTrue(launched.at("/attributes/java/thread").asText().startsWith("DefaultDispatcher-worker"), launched::toString);
  }

  @Test
  void aThrowingSuspendFunctionRecordsItsExceptionAndTheCallerStillCatchesIt() throws Exception {
    assertTrue(run.stdout.contains("failing: caught fetch failed: down\n"), run.stdout);
    JsonNode failing = run.one("CoroutinesApp.failing");
    assertEquals("java.lang.IllegalStateException", exception(failing).get("type").asText());
    assertEquals("fetch failed: down", exception(failing).get("message").asText());
    assertTrue(failing.get("output").isNull(), failing::toString);
    AgentRun.assertLastsAtLeast(50, failing);
  }

  @Test
  void aSuspendFunctionThatNeverSuspendsIsOneCall() {
    JsonNode quick = run.one("CoroutinesApp.quick");
    assertEquals(41, quick.at("/inputs/x").asInt(-1), quick::toString);
    assertEquals(42, quick.get("output").asInt(-1), quick::toString);
    assertTrue(quick.get("exception").isNull(), quick::toString);
  }

  @Test
  void coroutinesStartedOutsideAnyCallAreRoots() {
    JsonNode root = run.one("CoroutinesApp.run");
    List<JsonNode> rootWork = run.ops("CoroutinesApp.rootWork");
    assertEquals(Set.of("global", "blocking"),
        rootWork.stream().map(c -> c.at("/inputs/label").asText()).collect(Collectors.toSet()), () -> "calls: " + rootWork);
    for (JsonNode call : rootWork) {
      assertTrue(call.get("parent_id").isNull(), () -> "a root: " + call);
      assertNotEquals(root.get("trace_id").asText(), call.get("trace_id").asText(), "a trace of its own");
    }
  }
}
