package dev.weft.it;

import static dev.weft.it.AgentRun.assertChildOf;
import static dev.weft.it.AgentRun.duration;
import static dev.weft.it.AgentRun.exception;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A traced method returning a Mono or Flux is one call that ends on its publisher's first terminal
 * signal (complete, error or cancel) of its first subscription, and what the publisher runs on a
 * Scheduler nests under that call.
 */
class ReactorIT {
  static final String APP = "dev.weft.it.apps.ReactorApp";
  static final String OUTPUT = "delayed: FIX\n"
      + "squares: [1, 4, 9, 16, 25]\n"
      + "onElastic: value-of-k1\n"
      + "onParallel: [#1, #2, #3]\n"
      + "failing: IllegalStateException: upstream down\n"
      + "take: [0, 1]\n"
      + "dispose: disposed\n"
      + "never: not subscribed\n"
      + "twice: x#1 x#2\n"
      + "outside: DELAY [PUBLISHON]\n";

  static AgentRun.Result run;

  static AgentRun app() {
    return AgentRun.app().classpath(AgentRun.testClasspathWith("reactor-core", "reactive-streams"));
  }

  @BeforeAll
  static void runApp() throws Exception {
    // Not asserted here: a failing app is one failing test, the calls it wrote are still checked.
    run = app().run(APP);
  }

  @Test
  void theAppBehavesAsWithoutTheAgent() throws Exception {
    AgentRun.assertBehavesAsWithoutTheAgent(app(), APP, run, OUTPUT);
  }

  @Test
  void aMonoCallEndsWhenItEmitsWithTheValueAsOutput() {
    JsonNode delayed = run.one("ReactorApp.delayed");
    assertEquals("FIX", delayed.get("output").asText(), () -> "the emitted value: " + delayed);
    assertTrue(delayed.get("exception").isNull());
    AgentRun.assertLastsAtLeast(100, delayed);
  }

  @Test
  void workOnTheParallelSchedulerNestsUnderTheCallThatReturnedTheMono() {
    JsonNode handle = run.one("ReactorApp.handle");
    JsonNode delayed = run.one("ReactorApp.delayed");
    JsonNode upper = run.one("ReactorApp.upper");
    assertChildOf(handle, delayed);
    assertChildOf(delayed, upper);
    assertTrue(upper.at("/attributes/java/thread").asText().startsWith("parallel-"), upper::toString);
    // No order between the ends of handle and delayed: block() returns on the value, and the
    // call ends on the completion that follows it on the parallel thread.
  }

  @Test
  void aFluxCallEndsOnCompleteWithItsCountAndFirstElementsAsOutput() {
    JsonNode squares = run.one("ReactorApp.squares");
    JsonNode output = squares.get("output");
    assertEquals(5, output.path("count").asInt(-1), () -> "output {count, first}: " + squares);
    assertFirstElements(List.of(1, 4, 9, 16, 25), output);
    assertTrue(squares.get("exception").isNull());
    AgentRun.assertLastsAtLeast(5 * 20, squares);
  }

  /** {@code first} holds the first few elements emitted, in order. */
  static void assertFirstElements(List<?> emitted, JsonNode output) {
    JsonNode first = output.path("first");
    assertTrue(first.isArray() && first.size() >= 1 && first.size() <= emitted.size(), () -> "first: " + output);
    for (int i = 0; i < first.size(); i++) {
      assertEquals(String.valueOf(emitted.get(i)), first.get(i).asText(), () -> "first: " + output);
    }
  }

  @Test
  void delayElementsStepsNestUnderTheFluxCall() {
    JsonNode squares = run.one("ReactorApp.squares");
    List<JsonNode> steps = run.ops("ReactorApp.square");
    assertEquals(5, steps.size(), "one call per element");
    for (JsonNode step : steps) assertChildOf(squares, step);
  }

  @Test
  void subscribeOnBoundedElasticNestsUnderTheCall() {
    JsonNode onElastic = run.one("ReactorApp.onElastic");
    JsonNode lookup = run.one("ReactorApp.lookup");
    assertChildOf(onElastic, lookup);
    assertTrue(lookup.at("/attributes/java/thread").asText().startsWith("boundedElastic-"), lookup::toString);
    assertEquals("value-of-k1", onElastic.get("output").asText(), onElastic::toString);
    AgentRun.assertLastsAtLeast(50, onElastic);
  }

  @Test
  void publishOnParallelNestsUnderTheCall() {
    JsonNode onParallel = run.one("ReactorApp.onParallel");
    List<JsonNode> steps = run.ops("ReactorApp.render");
    assertEquals(3, steps.size(), "one call per element");
    for (JsonNode step : steps) assertChildOf(onParallel, step);
    assertEquals(3, onParallel.get("output").path("count").asInt(-1), onParallel::toString);
    assertFirstElements(List.of("#1", "#2", "#3"), onParallel.get("output"));
  }

  @Test
  void anErrorEndsTheCallWithItsExceptionAndTheAppStillGetsIt() throws Exception {
    assertTrue(run.stdout.contains("failing: IllegalStateException: upstream down\n"), run.stdout);
    JsonNode failing = run.one("ReactorApp.failing");
    assertEquals("java.lang.IllegalStateException", exception(failing).get("type").asText());
    assertEquals("upstream down", exception(failing).get("message").asText());
    assertTrue(failing.get("output").isNull(), failing::toString);
    AgentRun.assertLastsAtLeast(50, failing);
  }

  /** Ended, and if it records anything of the cancel, no exception but a mention of it. */
  static void assertEndedByCancel(JsonNode call) {
    assertFalse(duration(call).isNegative(), call::toString);
    assertTrue(call.get("exception").isNull() || call.toString().toLowerCase().contains("cancel"),
        () -> "a cancel is not an error: " + call);
  }

  @Test
  void takeCancelsTheEndlessFluxAndThatEndsItsCall() {
    JsonNode ticks = run.one("ReactorApp.ticks");
    assertEndedByCancel(ticks);
    AgentRun.assertLastsAtLeast(2 * 30, ticks);
    List<JsonNode> steps = run.ops("ReactorApp.tick");
    assertEquals(2, steps.size(), "one call per element taken");
    for (JsonNode step : steps) assertChildOf(ticks, step);
  }

  @Test
  void disposingTheSubscriptionEndsTheCall() {
    JsonNode slow = run.one("ReactorApp.slow");
    assertEndedByCancel(slow);
    AgentRun.assertLastsAtLeast(80, slow);
    assertTrue(duration(slow).toSeconds() < 30, "ended at the dispose, not by the delay: " + duration(slow));
  }

  @Test
  void aMonoNeverSubscribedStillEndsItsCall() {
    JsonNode never = run.one("ReactorApp.neverSubscribed");
    assertFalse(duration(never).isNegative(), never::toString);
  }

  @Test
  void aMonoSubscribedTwiceIsOneCallWithTheFirstSubscriptionsValue() {
    JsonNode twice = run.one("ReactorApp.twice");
    assertEquals("x#1", twice.get("output").asText(), twice::toString);
    List<JsonNode> made = run.ops("ReactorApp.make");
    assertEquals(2, made.size(), "one call per subscription's work");
    assertChildOf(twice, run.where(c -> c.get("op_name").asText().equals("ReactorApp.make")
        && c.get("output").asText().equals("x#1")).get(0));
  }

  @Test
  void eachScenarioIsARootAndPipelinesBuiltOutsideAnyCallStayRoots() {
    for (String op : List.of("ReactorApp.handle", "ReactorApp.squares", "ReactorApp.onElastic", "ReactorApp.onParallel",
        "ReactorApp.failing", "ReactorApp.ticks", "ReactorApp.slow", "ReactorApp.neverSubscribed", "ReactorApp.twice")) {
      for (JsonNode call : run.ops(op)) assertTrue(call.get("parent_id").isNull(), () -> op + " is a root: " + call);
    }
    List<JsonNode> outside = run.ops("ReactorApp.outside");
    assertEquals(2, outside.size(), () -> "calls: " + run.opNames());
    for (JsonNode call : outside) assertTrue(call.get("parent_id").isNull(), () -> "a root: " + call);
  }

  /**
   * An app that has Reactor and Kotlin coroutines on its class path but does not use them: the
   * agent loads none of their classes, nor its integrations with them.
   */
  @Test
  void anAppThatDoesNotUseReactorOrCoroutinesLoadsNoneOfTheirClasses() throws Exception {
    AgentRun.Result plain = AgentRun.app()
        .classpath(AgentRun.testClasspathWith("reactor-core", "reactive-streams", "kotlin-stdlib", "kotlinx-coroutines-core-jvm"))
        .jvmArg("-Xlog:class+load=info:stdout")
        .run("dev.weft.it.apps.NestingApp").assertOk();
    assertFalse(plain.calls.isEmpty(), "the app's calls were traced");
    List<String> loaded = plain.stdout.lines().filter(l -> l.contains("[class,load]")).toList();
    assertTrue(loaded.size() > 1000, "the class-load log: " + loaded.size() + " lines");
    for (String line : loaded) {
      String name = line.replaceFirst(".*\\[class,load\\] (\\S+).*", "$1");
      assertFalse(name.startsWith("reactor.") || name.startsWith("kotlin.") || name.startsWith("kotlinx.")
          || name.startsWith("dev.weft.agent.integration.reactor.") || name.startsWith("dev.weft.agent.integration.kot"),
          () -> "loaded " + name);
    }
  }
}
