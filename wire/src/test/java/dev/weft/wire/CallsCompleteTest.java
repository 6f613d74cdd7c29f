package dev.weft.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class CallsCompleteTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aStartAndItsEndMakeOneCompleteCallAndLoneItemsGoOneByOne() throws Exception {
    JsonNode upsert = JSON.readTree("{\"batch\":["
        + "{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"acme/demo\",\"id\":\"a\",\"trace_id\":\"t\","
        + "\"op_name\":\"op\",\"display_name\":\"shown\",\"started_at\":\"2025-01-01T00:00:00Z\",\"attributes\":{},\"inputs\":{\"x\":1}}}},"
        + "{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"acme/demo\",\"id\":\"b\",\"trace_id\":\"t\",\"parent_id\":\"a\","
        + "\"op_name\":\"op\",\"started_at\":\"2025-01-01T00:00:01Z\",\"attributes\":{},\"inputs\":{}}}},"
        + "{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"acme/demo\",\"id\":\"a\",\"display_name\":null,"
        + "\"ended_at\":\"2025-01-01T00:00:02Z\",\"output\":7,\"summary\":{}}}},"
        + "{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"acme/demo\",\"id\":\"c\",\"started_at\":\"2025-01-01T00:00:00Z\","
        + "\"ended_at\":\"2025-01-01T00:00:03Z\",\"output\":null,\"summary\":{}}}}]}");
    List<CallsComplete.Part> parts = CallsComplete.fromUpsertBatch(upsert);
    assertEquals(List.of("/v2/acme/demo/calls/complete", "/v2/acme/demo/call/start", "/v2/acme/demo/call/end"),
        parts.stream().map(p -> p.path).collect(java.util.stream.Collectors.toList()));
    JsonNode a = parts.get(0).body.at("/batch/0");
    assertEquals(1, parts.get(0).body.get("batch").size());
    assertEquals("shown", a.get("display_name").asText(), "an end's null display_name keeps the start's");
    assertEquals(7, a.get("output").asInt());
    assertEquals(1, a.at("/inputs/x").asInt());
    assertEquals("2025-01-01T00:00:02Z", a.get("ended_at").asText());
    assertEquals("b", parts.get(1).body.at("/start/id").asText());
    assertEquals("2025-01-01T00:00:00Z", parts.get(2).body.at("/end/started_at").asText());
  }

  @Test
  void projectNamesArePathSegments() {
    assertEquals("/v2/my-team/a%20b/call/end", CallsComplete.endPath("my-team/a b"));
  }
}
