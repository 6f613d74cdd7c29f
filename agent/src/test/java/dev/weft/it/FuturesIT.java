package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static dev.weft.it.AgentRun.duration;
import static dev.weft.it.AgentRun.exception;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A traced method returning a CompletableFuture or CompletionStage ends when the future completes. */
class FuturesIT {
  static AgentRun.Result run;

  @BeforeAll
  static void runApp() throws Exception {
    run = AgentRun.app().run("dev.weft.it.apps.FuturesApp").assertOk();
  }

  @Test
  void theCallerGetsAFutureThatBehavesLikeTheOriginal() {
    assertEquals("late value\nfailed: async boom\ncancelled\ndone\nnull\nchild-7\n", run.stdout);
  }

  @Test
  void aFutureCompletingLaterEndsTheCallWithItsValue() {
    JsonNode call = run.one("FuturesApp.completesLater");
    assertEquals("late value", call.get("output").asText());
    assertTrue(duration(call).toMillis() >= 90, "ended when the future completed: " + duration(call));
  }

  @Test
  void aFailedFutureEndsTheCallWithItsException() throws Exception {
    JsonNode call = run.one("FuturesApp.fails");
    assertTrue(call.get("output").isNull());
    assertEquals("java.lang.IllegalStateException", exception(call).get("type").asText());
    assertEquals("async boom", exception(call).get("message").asText());
  }

  @Test
  void cancellationEndsTheCall() throws Exception {
    JsonNode call = run.one("FuturesApp.cancelled");
    assertEquals("java.util.concurrent.CancellationException", exception(call).get("type").asText());
  }

  @Test
  void alreadyDoneAndNullFuturesEndAtOnce() {
    assertEquals("done", run.one("FuturesApp.alreadyDone").get("output").asText());
    JsonNode nul = run.one("FuturesApp.returnsNull");
    assertTrue(nul.get("output").isNull());
    assertTrue(nul.get("exception").isNull());
  }

  @Test
  void workInsideTheFutureNestsUnderTheCall() {
    JsonNode parent = run.one("FuturesApp.withChild");
    JsonNode child = run.one("FuturesApp.child");
    assertEquals(parent.get("id").asText(), child.get("parent_id").asText());
    assertEquals("child-7", parent.get("output").asText());
    assertTrue(!duration(parent).minus(duration(child)).isNegative(), "the parent spans its async child");
  }
}
