package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NestingIT {
  static AgentRun.Result run;

  @BeforeAll
  static void runApp() throws Exception {
    run = AgentRun.app()
        .agentArg("methods=dev.weft.it.apps.NestingApp$Plain[one,two]")
        .run("dev.weft.it.apps.NestingApp")
        .assertOk();
  }

  @Test
  void appOutputIsUnchanged() throws Exception {
    AgentRun.Result plain = AgentRun.app().withoutAgent().run("dev.weft.it.apps.NestingApp");
    assertEquals(0, plain.exitCode, plain.stderr);
    String[] without = plain.stdout.split("\n");
    String[] with = run.stdout.split("\n");
    // Only the facade's answers differ: no-op without the agent, live with it.
    assertEquals("callId=null active=false trace=false", without[0]);
    assertTrue(with[0].matches("callId=[0-9a-f]{16} active=true trace=true"), with[0]);
    assertEquals(List.of(without).subList(1, without.length), List.of(with).subList(1, with.length));
    assertEquals("off-by-one in bug-17#1|ok:alice", with[1]);
  }

  @Test
  void childrenNestUnderTheirParentInOneTrace() {
    JsonNode root = run.one("Orchestrator.run");
    assertTrue(root.get("parent_id").isNull());
    List<JsonNode> children = run.childrenOf(root);
    assertEquals(List.of("TriageAgent.diagnose", "TriageAgent.diagnose", "Agents.verify", "Agents.login"),
        children.stream().map(c -> c.get("op_name").asText()).collect(java.util.stream.Collectors.toList()));
    for (JsonNode c : children) {
      assertEquals(root.get("trace_id").asText(), c.get("trace_id").asText());
      assertTrue(!Instant.parse(c.get("started_at").asText()).isBefore(Instant.parse(root.get("started_at").asText())));
      assertTrue(!Instant.parse(c.get("ended_at").asText()).isAfter(Instant.parse(root.get("ended_at").asText())));
    }
    // Children end first, so they are written first.
    assertTrue(run.calls.indexOf(root) > run.calls.indexOf(children.get(3)));
    assertTrue(run.stdout.startsWith("callId=" + root.get("id").asText() + " "));
  }

  @Test
  void callRecordHasWeaveFields() {
    JsonNode call = run.ops("TriageAgent.diagnose").get(0);
    for (String field : List.of("id", "project_id", "op_name", "display_name", "trace_id", "parent_id",
        "started_at", "ended_at", "attributes", "inputs", "output", "exception", "summary")) {
      assertTrue(call.has(field), field);
    }
    assertEquals("weft/default", call.get("project_id").asText());
    assertTrue(call.get("id").asText().matches("[0-9a-f]{16}"));
    assertTrue(call.get("trace_id").asText().matches("[0-9a-f]{32}"));
    assertTrue(call.get("started_at").asText().endsWith("Z"));
    assertEquals("java-sdk", call.at("/attributes/weave/source").asText());
    assertEquals("main", call.at("/attributes/java/thread").asText());
    assertEquals("bug-17#0", call.at("/inputs/failure").asText());
    assertEquals("off-by-one in bug-17#0", call.get("output").asText());
    assertTrue(call.get("exception").isNull());
  }

  @Test
  void exceptionIsRecordedInWeaveShape() throws Exception {
    JsonNode verify = run.one("Agents.verify");
    assertTrue(verify.get("output").isNull());
    JsonNode ex = AgentRun.JSON.readTree(verify.get("exception").asText());
    assertEquals("java.lang.IllegalArgumentException", ex.get("type").asText());
    assertEquals("patch is null", ex.get("message").asText());
    JsonNode top = ex.get("traceback").get(0);
    assertEquals("NestingApp.java", top.get("filename").asText());
    assertTrue(top.get("line_number").asInt() > 0);
    assertEquals("dev.weft.it.apps.NestingApp$Agents.verify", top.get("function_name").asText());
    assertEquals(1, verify.at("/summary/status_counts/error").asInt());
    // The parent caught it: it succeeded, with one failed descendant.
    JsonNode root = run.one("Orchestrator.run");
    assertEquals(1, root.at("/summary/status_counts/error").asInt());
    assertEquals(4, root.at("/summary/status_counts/success").asInt()); // 3 children and itself
  }

  @Test
  void secretsAreRedactedAndNoCaptureIsLeftOut() {
    JsonNode login = run.one("Agents.login");
    assertEquals("alice", login.at("/inputs/user").asText());
    assertEquals("[REDACTED]", login.at("/inputs/password").asText());
    assertFalse(login.get("inputs").has("apiToken"));
    assertFalse(run.stdout.contains("hunter2") && login.toString().contains("hunter2"));
  }

  @Test
  void captureFlagsRootAndWithSpanAreHonoured() {
    JsonNode quiet = run.one("Agents.quiet");
    assertEquals(0, quiet.get("inputs").size());
    assertTrue(quiet.get("output").isNull());
    JsonNode standalone = run.one("Agents.standalone");
    JsonNode outer = run.one("NestingApp.outer");
    assertTrue(standalone.get("parent_id").isNull());
    assertNotEquals(outer.get("trace_id").asText(), standalone.get("trace_id").asText());
    assertEquals(42, standalone.get("output").asInt());
    JsonNode span = run.one("legacy.span");
    assertEquals(41, span.at("/inputs/n").asInt());
    assertEquals(42, span.get("output").asInt());
    assertEquals(1.5, run.one("Agents.staticOp").get("output").asDouble());
  }

  @Test
  void facadeAddsAttributesAndMetricsToTheCurrentCall() {
    JsonNode root = run.one("Orchestrator.run");
    assertEquals("bugfix", root.at("/attributes/task_kind").asText());
    assertEquals(0.75, root.at("/summary/metrics/pass_rate").asDouble());
    assertEquals(3, root.at("/summary/metrics/bugs_fixed").asInt());
  }

  @Test
  void typeLevelTracedSkipsAccessorsObjectMethodsAndConstructors() {
    assertEquals(List.of("Fixer.generatePatch", "Fixer.callsInternal"),
        run.where(c -> c.get("op_name").asText().startsWith("Fixer."))
            .stream().map(c -> c.get("op_name").asText()).collect(java.util.stream.Collectors.toList()));
    assertEquals(2, run.one("Fixer.generatePatch").at("/inputs/hints").size());
  }

  @Test
  void methodsSettingTracesAllOverloadsOfListedMethods() {
    assertEquals(2, run.ops("Plain.one").size());
    assertEquals(1, run.ops("Plain.two").size());
    assertEquals(0, run.ops("Plain.untouched").size());
  }
}
