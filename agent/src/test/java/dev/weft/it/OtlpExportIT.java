package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The otlp exporter: into the Weft server's OTLP route, and into a plain OTLP receiver. */
class OtlpExportIT {

  @Test
  void callsLandAsNestedCallsWithInputsAndOutputsInTheServersOtlpRoute() throws Exception {
    try (LiveServer server = new LiveServer()) {
      AgentRun.app().agentArg("exporters=otlp").agentArg("otlp.endpoint=" + server.base + "/otel/v1/traces")
          .agentArg("project=acme/otlp").run("dev.weft.it.apps.NestingApp").assertOk();
      List<JsonNode> calls = server.calls("acme/otlp");
      Map<String, JsonNode> byName = calls.stream().collect(Collectors.toMap(
          c -> c.at("/summary/weave/trace_name").asText(), c -> c, (a, b) -> a));
      JsonNode root = byName.get("orchestrator.run");
      assertTrue(root != null, "calls: " + byName.keySet());
      assertTrue(root.get("parent_id").isNull());
      assertEquals("bug-17", root.at("/inputs/task").asText());
      assertEquals(2, root.at("/inputs/attempts").asInt());
      assertTrue(root.get("output").asText().startsWith("off-by-one in bug-17#1"), root.toString());
      JsonNode diagnose = byName.get("triageagent.diagnose");
      assertEquals(root.get("id"), diagnose.get("parent_id"));
      assertEquals(root.get("trace_id"), diagnose.get("trace_id"));
      JsonNode verify = byName.get("agents.verify");
      assertEquals("error", verify.at("/summary/weave/status").asText());
      assertTrue(verify.get("exception").asText().contains("patch is null"));
    }
  }

  @Test
  void aPlainOtlpReceiverGetsWellFormedNestedSpansWithTheStandardVariables() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver("X-Team")) {
      AgentRun.app().agentArg("exporters=otlp")
          .env("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.base)
          .env("OTEL_EXPORTER_OTLP_HEADERS", "X-Team=fixers")
          .env("OTEL_SERVICE_NAME", "patchpilot")
          .run("dev.weft.it.apps.HandoffApp", "fixed").assertOk();
      List<Span> spans = receiver.spans();
      assertEquals("patchpilot", receiver.resourceAttribute("service.name"));
      assertEquals("fixers", receiver.headers.get(0));
      assertEquals(4, spans.size(), spans.toString());
      Span root = spans.stream().filter(s -> s.getParentSpanId().isEmpty()).findFirst().orElseThrow();
      assertEquals("HandoffApp.scenario", root.getName());
      for (Span s : spans) {
        assertEquals(HexFormat.of().formatHex(root.getTraceId().toByteArray()), HexFormat.of().formatHex(s.getTraceId().toByteArray()));
        assertTrue(s.getEndTimeUnixNano() >= s.getStartTimeUnixNano());
        if (s != root) assertEquals(root.getSpanId(), s.getParentSpanId());
      }
      assertTrue(spans.stream().anyMatch(s -> s.getAttributesList().stream()
          .anyMatch(kv -> kv.getKey().equals("input.label") && kv.getValue().getStringValue().equals("fixed-submit"))));
    }
  }
}
