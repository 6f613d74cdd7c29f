package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.wire.WeaveOps;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Spans from the OpenTelemetry Java SDK's OTLP exporter come back as nested calls. */
class OtlpIngestTest {

  @Test
  void nestedSpansBecomeNestedCallsWithInputsAndOutputs() throws Exception {
    try (ServerFixture s = ServerFixture.start()) {
      OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
          .setEndpoint(s.base + "/otel/v1/traces").setCompression("gzip").build();
      SdkTracerProvider provider = SdkTracerProvider.builder()
          .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("wandb.entity"), "acme",
              AttributeKey.stringKey("wandb.project"), "otel")))
          .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
      Tracer tracer = provider.get("test");
      Span root = tracer.spanBuilder("Orchestrator.run").setAttribute("input.task", "bug-17")
          .setAttribute("input.attempts", 2L).startSpan();
      try (Scope ignored = root.makeCurrent()) {
        Span child = tracer.spanBuilder("TesterAgent.runTest").setAttribute("input.test", "CalcTest")
            .setAttribute("output", "{\"passed\": 3, \"failed\": 1}").setAttribute("wandb.display_name", "run CalcTest")
            .setAttribute("gen_ai.usage.input_tokens", 10L).setAttribute("gen_ai.usage.output_tokens", 5L)
            .setAttribute("gen_ai.request.model", "patcher-1").startSpan();
        child.end();
        Span failing = tracer.spanBuilder("VerifierAgent.verify").startSpan();
        failing.setStatus(StatusCode.ERROR, "still failing");
        failing.end();
      }
      root.setAttribute("output", "fixed");
      root.end();
      assertTrue(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess());
      provider.shutdown().join(10, TimeUnit.SECONDS);

      JsonNode calls = s.ok("/calls/stream_query", obj("{'project_id':'acme/otel'}"));
      assertEquals(3, calls.size(), calls.toString());
      Map<String, JsonNode> byName = new HashMap<>();
      for (JsonNode c : calls) byName.put(c.at("/summary/weave/trace_name").asText(c.at("/summary/weave/display_name").asText()), c);
      JsonNode run = byName.get("orchestrator.run");
      assertTrue(run.get("parent_id").isNull());
      assertEquals(root.getSpanContext().getSpanId(), run.get("id").asText());
      assertEquals(root.getSpanContext().getTraceId(), run.get("trace_id").asText());
      assertEquals(obj("{'task':'bug-17','attempts':2}"), run.get("inputs"));
      assertEquals("fixed", run.get("output").asText());
      assertTrue(run.get("op_name").asText().startsWith("weave:///acme/otel/op/orchestrator.run:"));

      JsonNode test = byName.get("run CalcTest");
      assertEquals(run.get("id"), test.get("parent_id"));
      assertEquals(obj("{'test':'CalcTest'}"), test.get("inputs"));
      assertEquals(obj("{'passed':3,'failed':1}"), test.get("output"));
      assertEquals(15, test.at("/summary/usage/patcher-1/total_tokens").asInt());
      assertEquals("patcher-1", test.at("/attributes/model").asText());

      JsonNode verify = byName.get("verifieragent.verify");
      assertEquals("still failing", verify.get("exception").asText());
      assertEquals("error", verify.at("/summary/weave/status").asText());

      JsonNode ops = s.ok("/objs/query", obj("{'project_id':'acme/otel','filter':{'is_op':true}}"));
      assertEquals(3, ops.get("objs").size());
      Map<String, String> refs = new HashMap<>();
      for (JsonNode op : ops.get("objs")) {
        // The digest an agent computes for the same source file: its refs and the server's agree.
        assertEquals(WeaveOps.digest(op.at("/val/files/obj.py").asText()), op.get("digest").asText(), op.toString());
        String id = op.get("object_id").asText();
        refs.put(id, WeaveOps.ref("acme/otel", id, op.get("digest").asText()));
      }
      assertEquals(refs.get("orchestrator.run"), run.get("op_name").asText());
    }
  }

  @Test
  void otlpJsonWithTheProjectHeaderIsAcceptedAndSpansWithoutAProjectAreRejected() throws Exception {
    try (ServerFixture s = ServerFixture.start()) {
      String body = "{'resourceSpans':[{'resource':{'attributes':[]},'scopeSpans':[{'spans':[{"
          + "'traceId':'5b8efff798038103d269b633813fc60c','spanId':'eee19b7ec3c1b174','name':'plain',"
          + "'startTimeUnixNano':'1700000000000000000','endTimeUnixNano':'1700000001000000000',"
          + "'attributes':[{'key':'input.q','value':{'stringValue':'hi'}},{'key':'output','value':{'intValue':'42'}}]}]}]}]}";
      java.net.http.HttpResponse<String> noProject = s.http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(s.base + "/otel/v1/traces")).header("Content-Type", "application/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, noProject.statusCode());
      assertEquals(1, ServerFixture.JSON.readTree(noProject.body()).at("/partialSuccess/rejectedSpans").asInt());

      java.net.http.HttpResponse<String> ok = s.http.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create(s.base + "/otel/v1/traces")).header("Content-Type", "application/json")
          .header("project_id", "acme/json")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.replace('\'', '"'))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(200, ok.statusCode(), ok.body());
      JsonNode call = s.ok("/call/read", obj("{'project_id':'acme/json','id':'eee19b7ec3c1b174'}")).get("call");
      assertEquals("hi", call.at("/inputs/q").asText());
      assertEquals(42, call.get("output").asInt());
      assertEquals(1000, call.at("/summary/weave/latency_ms").asInt());
      assertEquals(400, s.post("/otel/v1/traces", "{bad").status());
    }
  }
}
