package dev.weft.server.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.store.CallWrite;
import dev.weft.server.store.ObjectStore;
import dev.weft.server.store.Store;
import dev.weft.wire.WeaveOps;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * OTLP/HTTP trace ingest at {@code /otel/v1/traces}, protobuf or JSON, gzip accepted. Each span
 * becomes a call; each span name becomes an op, published once per project.
 */
public final class OtelRoutes {
  private final Store calls;
  private final ObjectStore objects;
  private final ObjectMapper json;
  private final Bodies bodies;
  private final SpanToCall mapping;

  public OtelRoutes(Store calls, ObjectStore objects, ObjectMapper json, Bodies bodies) {
    this.calls = calls;
    this.objects = objects;
    this.json = json;
    this.bodies = bodies;
    this.mapping = new SpanToCall(json);
  }

  public void register(Javalin app) {
    app.post("/otel/v1/traces", this::ingest);
  }

  private void ingest(Context ctx) {
    String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
    boolean protobuf = !type.startsWith("application/json");
    byte[] body = bodies.bytes(ctx);
    List<OtlpSpans.Span> spans;
    if (protobuf) {
      spans = OtlpSpans.fromProtobuf(body);
    } else {
      try {
        spans = OtlpSpans.fromJson(json.readTree(body));
      } catch (java.io.IOException e) {
        throw ApiError.badRequest("malformed OTLP JSON: " + e.getMessage());
      }
    }
    String headerProject = ctx.header("project_id");
    List<CallWrite> writes = new ArrayList<>();
    Map<String, String> opRefs = new HashMap<>();
    int rejected = 0;
    for (OtlpSpans.Span span : spans) {
      String project = project(span.resource(), headerProject);
      if (project == null || span.spanId().isEmpty() || span.traceId().isEmpty()) {
        rejected++;
        continue;
      }
      String op = opRefs.computeIfAbsent(project + "\n" + span.name(), k -> publishOp(project, span.name()));
      writes.addAll(mapping.map(span, project, op));
    }
    calls.write(writes);
    String message = rejected == 0 ? "" : rejected + " span(s) had no project: set the resource attributes"
        + " wandb.entity and wandb.project, or the project_id header";
    if (protobuf) {
      ExportTraceServiceResponse.Builder res = ExportTraceServiceResponse.newBuilder();
      if (rejected > 0) {
        res.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(rejected).setErrorMessage(message));
      }
      ctx.contentType("application/x-protobuf").result(res.build().toByteArray());
    } else {
      ObjectNode res = json.createObjectNode();
      if (rejected > 0) res.putObject("partialSuccess").put("rejectedSpans", rejected).put("errorMessage", message);
      ctx.json(res);
    }
  }

  private static String project(Map<String, JsonNode> resource, String header) {
    JsonNode entity = resource.get("wandb.entity");
    JsonNode project = resource.get("wandb.project");
    if (entity != null && project != null && !entity.asText().isEmpty() && !project.asText().isEmpty()) {
      return entity.asText() + "/" + project.asText();
    }
    return header != null && header.contains("/") ? header.trim() : null;
  }

  /**
   * The op object for a span name, as Weave's server makes it: a safe name and a placeholder
   * source; its digest is {@link WeaveOps#digest} of the source's, as the agent computes refs.
   */
  private String publishOp(String project, String spanName) {
    String id = WeaveOps.spanOpId(spanName);
    String source = "# Op created from OpenTelemetry spans named " + spanName + "\n";
    String file = objects.putFile(project, source.getBytes(StandardCharsets.UTF_8));
    ObjectNode val;
    try {
      val = (ObjectNode) json.readTree(WeaveOps.val(file));
    } catch (java.io.IOException e) {
      throw new IllegalStateException("an op's value is JSON", e);
    }
    return WeaveOps.ref(project, id, objects.createObject(project, id, val).digest());
  }
}
