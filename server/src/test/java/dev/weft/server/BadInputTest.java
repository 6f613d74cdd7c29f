package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad requests get a 4xx with a clear detail; nothing half-written stays behind. */
class BadInputTest {
  static final String GOOD_START = "{'project_id':'e/p','id':'ok','trace_id':'t','op_name':'op',"
      + "'started_at':'2025-01-01T00:00:00Z','attributes':{},'inputs':{}}";
  ServerFixture s;

  @BeforeEach
  void start() throws Exception {
    s = new ServerFixture(null, 64 * 1024);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  void assertDetail(int status, ServerFixture.Response r, String contains) {
    assertEquals(status, r.status(), r.body());
    String detail = r.json().get("detail").asText();
    assertTrue(detail.contains(contains), () -> "detail '" + detail + "' should mention '" + contains + "'");
  }

  long count() throws Exception {
    return s.ok("/calls/query_stats", obj("{'project_id':'e/p'}")).get("count").asLong();
  }

  @Test
  void malformedOrEmptyBodiesAre400() throws Exception {
    assertDetail(400, s.post("/call/start", "{\"start\": {"), "malformed JSON");
    assertDetail(400, s.post("/call/start", ""), "empty body");
    assertDetail(400, s.post("/calls/query", "[1,2]"), "expected a JSON object");
    assertDetail(400, s.post("/calls/query", "nul"), "malformed JSON");
  }

  @Test
  void missingFieldsAndWrongTypesAre422NamingTheField() throws Exception {
    assertDetail(422, s.post("/call/start", "{}"), "start");
    assertDetail(422, s.post("/call/start", obj("{'start':{'project_id':'e/p','op_name':'x','started_at':'2025-01-01T00:00:00Z','inputs':{}}}").toString()), "attributes");
    assertDetail(422, s.post("/call/start", obj("{'start':{'project_id':'e/p','op_name':'x','started_at':12,'attributes':{},'inputs':{}}}").toString()), "started_at");
    assertDetail(422, s.post("/call/start", obj("{'start':{'project_id':'e/p','op_name':'x','started_at':'yesterday','attributes':{},'inputs':{}}}").toString()), "ISO-8601");
    assertDetail(422, s.post("/call/start", obj("{'start':{'project_id':'e/p','op_name':['x'],'started_at':'2025-01-01T00:00:00Z','attributes':{},'inputs':{}}}").toString()), "op_name");
    assertDetail(422, s.post("/call/end", obj("{'end':{'project_id':'e/p','id':'x','ended_at':'2025-01-01T00:00:00Z','summary':{},'exception':{'not':'a string'}}}").toString()), "exception");
    assertDetail(422, s.post("/calls/query", obj("{'project_id':'e/p','limit':-1}").toString()), "limit");
    assertDetail(422, s.post("/calls/query", obj("{'project_id':'e/p','query':{'$expr':{'$nope':[]}}}").toString()), "$nope");
    assertDetail(422, s.post("/calls/query", obj("{'project_id':'e/p','filter':{'op_names':'x'}}").toString()), "op_names");
    assertDetail(422, s.post("/call/read", "{}"), "project_id");
  }

  @Test
  void aBatchWithOneBadItemStoresNothing() throws Exception {
    String body = "{'batch':[{'mode':'start','req':{'start':" + GOOD_START + "}},"
        + "{'mode':'end','req':{'end':{'project_id':'e/p','id':'ok'}}}]}";
    assertDetail(422, s.post("/call/upsert_batch", obj(body).toString()), "batch[1]");
    assertEquals(0, count());
    assertDetail(422, s.post("/call/upsert_batch", obj("{'batch':[{'mode':'middle','req':{}}]}").toString()), "mode");
    assertEquals(0, count());
  }

  @Test
  void oversizedBodiesAre413AndTheServerCarriesOn() throws Exception {
    String big = "{\"pad\":\"" + "x".repeat(100 * 1024) + "\"}";
    assertDetail(413, s.post("/calls/query", big), "larger than the limit");
    s.ok("/call/start", obj("{'start':" + GOOD_START + "}"));
    assertEquals(1, count());
  }

  @Test
  void gzipBodiesAreAcceptedAndBrokenGzipIs400() throws Exception {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
      gz.write(obj("{'start':" + GOOD_START + "}").toString().getBytes());
    }
    HttpResponse<String> ok = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/call/start"))
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode(), ok.body());
    assertEquals(1, count());
    HttpResponse<String> bad = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/call/start"))
        .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofString("not gzip")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode(), bad.body());
  }

  @Test
  void unknownRoutesAnswerJson404() throws Exception {
    assertDetail(404, s.post("/no/such/route", "{}"), "no route");
    HttpResponse<String> get = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/calls/query")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(get.statusCode() == 404 || get.statusCode() == 405, get.body());
    assertTrue(get.body().contains("\"detail\""), get.body());
  }
}
