package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capture never throws into the app, never hangs, cuts what is large and hides what is secret. */
class CaptureIT {
  static AgentRun.Result run;

  @BeforeAll
  static void runApp() throws Exception {
    run = AgentRun.app().agentArg("capture.max_string=50").agentArg("capture.max_items=10")
        .run("dev.weft.it.apps.CaptureApp").assertOk();
  }

  @Test
  void theAppRunsExactlyAsWithoutTheAgent() throws Exception {
    AgentRun.Result plain = AgentRun.app().withoutAgent().run("dev.weft.it.apps.CaptureApp");
    assertEquals(plain.stdout, run.stdout);
    assertFalse(run.stdout.contains("stream closed"), "capture must not consume or close streams");
    assertEquals(8, run.calls.size(), () -> "one call per traced method: " + run.opNames());
  }

  @Test
  void cyclesBecomeAPlaceholder() {
    JsonNode head = run.one("CaptureApp.cyclic").at("/inputs/head");
    assertEquals("a", head.get("name").asText());
    assertEquals("b", head.at("/next/name").asText());
    assertEquals("<cycle: Node>", head.at("/next/next").asText());
  }

  @Test
  void aThrowingGetterBecomesAPlaceholderAndTheRestIsKept() {
    JsonNode e = run.one("CaptureApp.getterThrows").at("/inputs/e");
    assertEquals("fine", e.get("fine").asText());
    assertEquals("<threw java.lang.IllegalStateException>", e.get("boom").asText());
  }

  @Test
  void streamsThreadsAndIoAreNotRead() {
    JsonNode in = run.one("CaptureApp.streamsAndThreads").get("inputs");
    assertTrue(in.get("lines").asText().startsWith("<java.util.stream."), in.toString());
    assertEquals("<java.lang.Thread>", in.get("worker").asText());
    assertEquals("<java.io.ByteArrayInputStream>", in.get("in").asText());
    assertEquals("<lambda>", in.get("task").asText());
  }

  @Test
  void largeValuesAreCutWithAVisibleMarker() {
    JsonNode in = run.one("CaptureApp.bigValues").get("inputs");
    assertEquals("x".repeat(50) + "…[99950 more chars]", in.get("longText").asText());
    assertEquals(11, in.get("many").size());
    assertEquals("…[990 more]", in.get("many").get(10).asText());
    assertEquals(11, in.get("numbers").size());
    assertEquals(11, in.get("wide").size());
    assertEquals("[490 more]", in.get("wide").get("…").asText());
  }

  @Test
  void secretsInFieldsAndMapKeysAreRedacted() {
    JsonNode in = run.one("CaptureApp.secrets").get("inputs");
    assertEquals("bob", in.at("/c/user").asText());
    assertEquals("[REDACTED]", in.at("/c/password").asText());
    assertEquals("[REDACTED]", in.at("/c/headers/Authorization").asText());
    assertEquals("json", in.at("/c/headers/Accept").asText());
    assertEquals("[REDACTED]", in.at("/config/OPENAI_API_KEY").asText());
    assertEquals(256, in.at("/config/max_tokens").asInt(), "max_tokens is not a token");
    assertFalse(run.calls.toString().contains("hunter2"));
    assertFalse(run.calls.toString().contains("sk-live"));
  }

  @Test
  void plainValuesAndObjectsWithoutGettersAreReadable() {
    JsonNode call = run.one("CaptureApp.plainObjects");
    JsonNode in = call.get("inputs");
    assertEquals("FAIL", in.get("v").asText());
    assertEquals("o", in.get("o").asText());
    assertEquals("00000000-0000-0001-0000-000000000002", in.get("id").asText());
    assertEquals("c", in.get("c").asText());
    assertEquals("<java.lang.Object>", in.get("nothing").asText());
    assertEquals("Calc.java", call.at("/output/file").asText());
    assertEquals(42, call.at("/output/line").asInt());
    assertEquals("+b", call.at("/output/diff/1").asText());
  }

  @Test
  void deepValuesStopAtTheDepthLimit() {
    assertTrue(run.one("CaptureApp.deep").get("output").toString().contains("<depth limit: ArrayList>"));
  }

  @Test
  void valuesAreTakenAtCallTime() {
    JsonNode call = run.one("CaptureApp.mutatedLater");
    assertEquals(1, call.at("/inputs/items").size());
    assertEquals("before", call.get("output").asText());
  }
}
