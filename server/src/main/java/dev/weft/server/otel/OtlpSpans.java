package dev.weft.server.otel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.server.request.ApiError;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP trace requests, protobuf or JSON, read into plain spans: ids as hex, attribute values as
 * JSON values, with the resource's attributes beside each span.
 */
final class OtlpSpans {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  record Span(String traceId, String spanId, String parentSpanId, String name, long startNanos,
      long endNanos, Map<String, JsonNode> attributes, boolean error, String statusMessage,
      Map<String, JsonNode> resource) {}

  private OtlpSpans() {}

  static List<Span> fromProtobuf(byte[] body) {
    ExportTraceServiceRequest req;
    try {
      req = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw ApiError.badRequest("not an OTLP ExportTraceServiceRequest: " + e.getMessage());
    }
    List<Span> out = new ArrayList<>();
    HexFormat hex = HexFormat.of();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      Map<String, JsonNode> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          out.add(new Span(hex.formatHex(s.getTraceId().toByteArray()), hex.formatHex(s.getSpanId().toByteArray()),
              s.getParentSpanId().isEmpty() ? null : hex.formatHex(s.getParentSpanId().toByteArray()),
              s.getName(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(), attributes(s.getAttributesList()),
              s.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR, s.getStatus().getMessage(), resource));
        }
      }
    }
    return out;
  }

  private static Map<String, JsonNode> attributes(List<KeyValue> kvs) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) out.put(kv.getKey(), value(kv.getValue()));
    return out;
  }

  private static JsonNode value(AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE: return NODES.textNode(v.getStringValue());
      case BOOL_VALUE: return NODES.booleanNode(v.getBoolValue());
      case INT_VALUE: return NODES.numberNode(v.getIntValue());
      case DOUBLE_VALUE: return NODES.numberNode(v.getDoubleValue());
      case ARRAY_VALUE: {
        ArrayNode a = NODES.arrayNode();
        v.getArrayValue().getValuesList().forEach(e -> a.add(value(e)));
        return a;
      }
      case KVLIST_VALUE: {
        var o = NODES.objectNode();
        v.getKvlistValue().getValuesList().forEach(kv -> o.set(kv.getKey(), value(kv.getValue())));
        return o;
      }
      case BYTES_VALUE: return NODES.textNode(java.util.Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      default: return NODES.nullNode();
    }
  }

  /** OTLP/JSON: camelCase fields, hex ids, integers possibly as strings. */
  static List<Span> fromJson(JsonNode req) {
    List<Span> out = new ArrayList<>();
    for (JsonNode rs : req.path("resourceSpans")) {
      Map<String, JsonNode> resource = jsonAttributes(rs.path("resource").path("attributes"));
      for (JsonNode ss : rs.path("scopeSpans")) {
        for (JsonNode s : ss.path("spans")) {
          String parent = s.path("parentSpanId").asText("");
          out.add(new Span(s.path("traceId").asText(""), s.path("spanId").asText(""), parent.isEmpty() ? null : parent,
              s.path("name").asText(""), s.path("startTimeUnixNano").asLong(0), s.path("endTimeUnixNano").asLong(0),
              jsonAttributes(s.path("attributes")), statusIsError(s.path("status").path("code")),
              s.path("status").path("message").asText(""), resource));
        }
      }
    }
    return out;
  }

  private static boolean statusIsError(JsonNode code) {
    return code.asInt(0) == 2 || code.asText("").equals("STATUS_CODE_ERROR");
  }

  private static Map<String, JsonNode> jsonAttributes(JsonNode list) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode kv : list) out.put(kv.path("key").asText(), jsonValue(kv.path("value")));
    return out;
  }

  private static JsonNode jsonValue(JsonNode v) {
    if (v.has("stringValue")) return v.get("stringValue");
    if (v.has("boolValue")) return v.get("boolValue");
    if (v.has("intValue")) return NODES.numberNode(v.get("intValue").asLong());
    if (v.has("doubleValue")) return NODES.numberNode(v.get("doubleValue").asDouble());
    if (v.has("arrayValue")) {
      ArrayNode a = NODES.arrayNode();
      v.path("arrayValue").path("values").forEach(e -> a.add(jsonValue(e)));
      return a;
    }
    if (v.has("kvlistValue")) {
      var o = NODES.objectNode();
      v.path("kvlistValue").path("values").forEach(kv -> o.set(kv.path("key").asText(), jsonValue(kv.path("value"))));
      return o;
    }
    return NODES.nullNode();
  }

  static final ObjectMapper JSON = new ObjectMapper();
}
