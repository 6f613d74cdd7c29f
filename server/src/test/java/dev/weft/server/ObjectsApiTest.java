package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Objects, files, tables, refs and feedback (docs/weave-protocol.md, "Objects, tables, files, feedback"). */
class ObjectsApiTest {
  ServerFixture s;

  @BeforeEach
  void start() throws Exception {
    s = ServerFixture.start();
  }

  @AfterEach
  void stop() {
    s.close();
  }

  String create(String id, String val) throws Exception {
    return s.ok("/obj/create", obj("{'obj':{'project_id':'e/p','object_id':'" + id + "','val':" + val + "}}")).get("digest").asText();
  }

  @Test
  void objectsVersionByContentAndQueryByClassKindAndLatest() throws Exception {
    String ds = "{'_type':'Dataset','_class_name':'Dataset','_bases':['Object','BaseModel'],'name':'bugs','rows':'x'}";
    String d1 = create("bugs", ds);
    assertEquals(d1, create("bugs", ds), "identical val: same digest, no new version");
    String d2 = create("bugs", ds.replace("'x'", "'y'"));
    String op = create("run", "{'_type':'CustomWeaveType','weave_type':{'type':'Op'},'files':{'obj.py':'abc'}}");

    JsonNode v1 = s.ok("/obj/read", obj("{'project_id':'e/p','object_id':'bugs','digest':'" + d1 + "'}")).get("obj");
    assertEquals(0, v1.get("version_index").asInt());
    assertEquals(0, v1.get("is_latest").asInt());
    assertEquals("Dataset", v1.get("base_object_class").asText());
    assertEquals("object", v1.get("kind").asText());
    JsonNode latest = s.ok("/obj/read", obj("{'project_id':'e/p','object_id':'bugs','digest':'latest'}")).get("obj");
    assertEquals(d2, latest.get("digest").asText());
    assertEquals(1, latest.get("version_index").asInt());
    assertEquals(404, s.post("/obj/read", obj("{'project_id':'e/p','object_id':'bugs','digest':'nope'}").toString()).status());

    assertEquals(3, s.ok("/objs/query", obj("{'project_id':'e/p'}")).get("objs").size());
    assertEquals(2, s.ok("/objs/query", obj("{'project_id':'e/p','filter':{'latest_only':true}}")).get("objs").size());
    JsonNode ops = s.ok("/objs/query", obj("{'project_id':'e/p','filter':{'is_op':true}}")).get("objs");
    assertEquals(1, ops.size());
    assertEquals(op, ops.at("/0/digest").asText());
    assertEquals("op", ops.at("/0/kind").asText());
    assertEquals(2, s.ok("/objs/query", obj("{'project_id':'e/p','filter':{'base_object_classes':['Dataset']}}")).get("objs").size());
    assertEquals(1, s.ok("/objs/query", obj("{'project_id':'e/p','filter':{'object_ids':['run']}}")).get("objs").size());
    assertEquals(2, s.ok("/obj/delete", obj("{'project_id':'e/p','object_id':'bugs'}")).get("num_deleted").asInt());
    assertEquals(404, s.post("/obj/read", obj("{'project_id':'e/p','object_id':'bugs','digest':'latest'}").toString()).status());
  }

  @Test
  void filesAreContentAddressed() throws Exception {
    String boundary = "weft-boundary";
    String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"project_id\"\r\n\r\ne/p\r\n"
        + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\nasync function primitive(input) {}\r\n--" + boundary + "--\r\n";
    HttpResponse<String> r = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/file/create"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    String digest = ServerFixture.JSON.readTree(r.body()).get("digest").asText();
    assertEquals(dev.weft.server.store.Digests.bytesDigest("async function primitive(input) {}".getBytes(StandardCharsets.UTF_8)), digest);
    HttpResponse<byte[]> content = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/file/content"))
        .POST(HttpRequest.BodyPublishers.ofString(obj("{'project_id':'e/p','digest':'" + digest + "'}").toString())).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertArrayEquals("async function primitive(input) {}".getBytes(StandardCharsets.UTF_8), content.body());
    assertEquals(404, s.post("/file/content", obj("{'project_id':'e/p','digest':'missing'}").toString()).status());

    // Weft's JSON form (what an offline agent spools) stores the same content under the same digest.
    String b64 = java.util.Base64.getEncoder().encodeToString("async function primitive(input) {}".getBytes(StandardCharsets.UTF_8));
    assertEquals(digest, s.ok("/file/create", obj("{'project_id':'e/p','content_base64':'" + b64 + "'}")).get("digest").asText());
    ServerFixture.Response bad = s.post("/file/create", obj("{'project_id':'e/p','content_base64':'**'}").toString());
    assertEquals(422, bad.status(), bad.body());
    assertEquals(422, s.post("/file/create", obj("{'project_id':'e/p'}").toString()).status());
  }

  @Test
  void tablesRefsAndFeedbackRoundTrip() throws Exception {
    JsonNode t = s.ok("/table/create", obj("{'table':{'project_id':'e/p','rows':[{'bug':'add'},{'bug':'div'},{'bug':'pad'}]}}"));
    String digest = t.get("digest").asText();
    assertTrue(digest.matches("[0-9a-f]{64}"));
    assertEquals(3, t.get("row_digests").size());
    JsonNode rows = s.ok("/table/query", obj("{'project_id':'e/p','digest':'" + digest + "','offset':1,'limit':1}")).get("rows");
    assertEquals(1, rows.size());
    assertEquals("div", rows.at("/0/val/bug").asText());
    assertEquals(1, rows.at("/0/original_index").asInt());
    assertEquals(3, s.ok("/table/query_stats", obj("{'project_id':'e/p','digest':'" + digest + "'}")).get("count").asInt());

    String ds = create("bugs", "{'_type':'Dataset','rows':'weave:///e/p/table/" + digest + "'}");
    JsonNode vals = s.ok("/refs/read_batch", obj("{'refs':['weave:///e/p/object/bugs:" + ds + "/attr/rows/index/2',"
        + "'weave:///e/p/table/" + digest + "/id/" + t.at("/row_digests/0").asText() + "']}")).get("vals");
    assertEquals("pad", vals.at("/0/bug").asText());
    assertEquals("add", vals.at("/1/bug").asText());

    JsonNode fb = s.ok("/feedback/create", obj("{'project_id':'e/p','weave_ref':'weave:///e/p/call/c1',"
        + "'feedback_type':'wandb.reaction.1','payload':{'emoji':'👍'}}"));
    assertTrue(fb.hasNonNull("id"));
    JsonNode result = s.ok("/feedback/query", obj("{'project_id':'e/p'}")).get("result");
    assertEquals(1, result.size());
    assertEquals("👍", result.at("/0/payload/emoji").asText());
    assertEquals(422, s.post("/feedback/create", obj("{'project_id':'e/p','weave_ref':'r','feedback_type':'wandb.annotation.x','payload':{}}").toString()).status());
  }
}
