package dev.weft.agent.export.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.wire.PythonJson;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refs computed as Weave computes them; the expected digests are what the Weave TypeScript SDK
 * (npm weave 0.11.1) got from the same values (see the agent's EvaluationIT).
 */
class WeaveObjectsTest {
  private final List<String> sent = new ArrayList<>();
  private final WeaveObjects objects = new WeaveObjects("acme/evals", new OpPublisher("acme/evals", null, (r, o) -> {}));

  @Test
  void anObjectsRefCarriesWeavesDigestOfItsValue() throws Exception {
    String ref = objects.object("exactBugType", "{\"_type\":\"exactBugType\",\"_class_name\":\"exactBugType\","
        + "\"_bases\":[\"Scorer\",\"Object\",\"BaseModel\"],\"name\":\"exactBugType\",\"scorerName\":\"exactBugType\"}");
    assertEquals("weave:///acme/evals/object/exactBugType:UGLacY3QheirNE26TORWqMjpBMQ6u5PUP5GuAOonqA4", ref);
    send();
    assertEquals(List.of("/obj/create {\"obj\":{\"project_id\":\"acme/evals\",\"object_id\":\"exactBugType\",\"val\":"
        + "{\"_type\":\"exactBugType\",\"_class_name\":\"exactBugType\",\"_bases\":[\"Scorer\",\"Object\",\"BaseModel\"],"
        + "\"name\":\"exactBugType\",\"scorerName\":\"exactBugType\"}}}"), sent);
  }

  @Test
  void aTablesRefIsTheHexDigestOfItsRowsDigests() throws Exception {
    List<String> refs = objects.table(List.of("{\"bug\":\"Calculator.add\",\"expected\":\"off-by-one\"}",
        "{\"bug\":\"Parser.parse\",\"expected\":\"null-handling\"}", "{\"bug\":\"Range.contains\",\"expected\":\"boundary\"}"));
    assertEquals(List.of("weave:///acme/evals/table/1062839f4c1ad0d879827bc469c8c149d7c401389e9daced1893000d272e0004",
        "wICSPZ3JmKwWk1nzpFeblZJ5IN9u1XFWyUtqcGHvrCQ", "G8Z1VcPsKm8RVQiYbmYUUKh8hjBpyW8DXjDCKg8w9eA",
        "YD4Aa8NHCkgXbH98CD1XJI6ihqnk9cuSYCORTHhBICk"), refs);
    send();
    assertEquals(1, sent.size());
    assertEquals(3, new ObjectMapper().readTree(sent.get(0).substring("/table/create ".length())).at("/table/rows").size());
  }

  @Test
  void valuesAreDigestedAsPythonsJsonDumpsWritesThem() throws Exception {
    ObjectMapper json = new ObjectMapper();
    assertEquals("{\"a\": [1, 0.5, 1e-05, 1e+16, 1.0, true, null], \"b\": \"caf\\u00e9\\n\"}",
        PythonJson.of(json.readTree("{\"b\":\"café\\n\",\"a\":[1,0.5,0.00001,1e16,1.0,true,null]}")));
  }

  private void send() throws Exception {
    objects.send(new Client(List.of(), (path, body, headers) -> {
      sent.add(path + " " + new String(body.bytes, 0, body.length, StandardCharsets.UTF_8));
      return Outcome.delivered();
    }), (r, o) -> {});
  }
}
