package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.artifact.Manifest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Artifacts through the API, once per store: blobs by digest, versions by manifest, aliases, lineage, retention. */
abstract class ArtifactsApiContract extends StoreContract {

  static String sha(byte[] bytes) {
    return Manifest.hex(Manifest.sha256().digest(bytes));
  }

  int put(String digest, byte[] bytes) throws Exception {
    return s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/artifact/blob/" + digest))
        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  HttpResponse<byte[]> get(String digest) throws Exception {
    return s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/artifact/blob/" + digest)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Uploads the files (path → bytes) and returns the body of /artifact/log for them. */
  ObjectNode version(String name, Map<String, byte[]> files, String runId) throws Exception {
    ObjectNode body = obj("{'project_id':'e/p','name':'" + name + "','type':'model','metadata':{'epoch':3}}");
    ArrayNode manifest = body.putArray("manifest");
    List<Manifest.Entry> entries = new ArrayList<>();
    for (Map.Entry<String, byte[]> f : files.entrySet()) {
      String d = sha(f.getValue());
      assertEquals(200, put(d, f.getValue()));
      manifest.addObject().put("path", f.getKey()).put("digest", d).put("size", f.getValue().length);
      entries.add(new Manifest.Entry(f.getKey(), d, f.getValue().length));
    }
    body.put("digest", Manifest.of(entries).digest());
    if (runId != null) body.put("run_id", runId);
    return body;
  }

  static Map<String, byte[]> files(String... pathsAndContents) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (int i = 0; i < pathsAndContents.length; i += 2) out.put(pathsAndContents[i], pathsAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
    return out;
  }

  long blobs() throws Exception {
    return s.store.artifacts().blobs().count();
  }

  @Test
  void theSameContentIsTheSameVersionAndEachFileIsStoredOnce() throws Exception {
    JsonNode v0 = s.ok("/artifact/log", version("ckpt", files("weights.bin", "w-1", "config.json", "{}"), "r1"));
    assertEquals("v0", v0.get("version").asText());
    assertTrue(v0.get("created").asBoolean());
    JsonNode v1 = s.ok("/artifact/log", version("ckpt", files("weights.bin", "w-2", "config.json", "{}"), "r1"));
    assertEquals("v1", v1.get("version").asText());
    assertEquals(3, blobs(), "config.json's bytes are stored once for both versions");
    JsonNode again = s.ok("/artifact/log", version("ckpt", files("config.json", "{}", "weights.bin", "w-2"), "r3"));
    assertFalse(again.get("created").asBoolean());
    assertEquals("v1", again.get("version").asText());
    assertEquals(v1.get("digest").asText(), again.get("digest").asText());
    JsonNode missing = s.ok("/artifact/blobs/missing", obj("{'project_id':'e/p','digests':['" + sha("w-1".getBytes())
        + "','" + sha("never".getBytes()) + "']}")).get("missing");
    assertEquals(1, missing.size());
    assertEquals(sha("never".getBytes()), missing.get(0).asText());
    JsonNode versions = s.ok("/artifact/versions", obj("{'project_id':'e/p','name':'ckpt'}")).get("versions");
    assertEquals(2, versions.size());
    assertEquals("v1", versions.get(0).get("version").asText());
    assertEquals("latest", versions.get(0).at("/aliases/0").asText());
    assertEquals(0, versions.get(1).get("aliases").size());
  }

  @Test
  void aBlobIsStoredOnlyIfItsBytesHaveItsDigest() throws Exception {
    String d = sha("right".getBytes());
    assertEquals(400, put(d, "wrong".getBytes()));
    assertEquals(0, blobs());
    assertEquals(404, get(d).statusCode());
    assertEquals(400, put("not-a-digest", "x".getBytes()));
    assertEquals(200, put(d, "right".getBytes()));
    HttpResponse<byte[]> back = get(d);
    assertEquals(200, back.statusCode());
    assertArrayEquals("right".getBytes(), back.body());
  }

  @Test
  void aDownloadCanBeTakenUpFromAByte() throws Exception {
    String d = sha("0123456789".getBytes());
    assertEquals(200, put(d, "0123456789".getBytes()));
    HttpResponse<byte[]> rest = get(d, "bytes=4-");
    assertEquals(206, rest.statusCode());
    assertEquals("456789", new String(rest.body(), StandardCharsets.UTF_8));
    assertEquals("bytes 4-9/10", rest.headers().firstValue("Content-Range").orElse(""));
    assertEquals("234", new String(get(d, "bytes=2-4").body(), StandardCharsets.UTF_8));
    assertEquals("89", new String(get(d, "bytes=8-100").body(), StandardCharsets.UTF_8), "cut at the end");
    HttpResponse<byte[]> past = get(d, "bytes=10-");
    assertEquals(416, past.statusCode());
    assertEquals("bytes */10", past.headers().firstValue("Content-Range").orElse(""));
    HttpResponse<byte[]> several = get(d, "bytes=0-1,4-5");
    assertEquals(200, several.statusCode(), "several ranges: the whole file, as RFC 9110 allows");
    assertEquals("0123456789", new String(several.body(), StandardCharsets.UTF_8));
  }

  HttpResponse<byte[]> get(String digest, String range) throws Exception {
    return s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/artifact/blob/" + digest)).header("Range", range).GET()
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void filesUploadedButNeverLoggedGoOnceADayOldAndALaterLogAsksForThemAgain() throws Exception {
    ObjectNode logged = version("ckpt", files("kept.bin", "logged bytes"), "r1");
    s.ok("/artifact/log", logged);
    String orphan = sha("never logged".getBytes());
    assertEquals(200, put(orphan, "never logged".getBytes()));
    Path part = Files.createDirectories(s.store.artifacts().blobs().dir().resolve("tmp")).resolve("cut-off.part");
    Files.write(part, new byte[10]);
    assertEquals(0, s.store.artifacts().removeUnlogged(Instant.now().minus(Duration.ofDays(1))),
        "nothing is a day old yet");
    assertEquals(2, s.store.artifacts().removeUnlogged(Instant.now().plusSeconds(60)), "the unlogged file and the part");
    assertEquals(404, get(orphan).statusCode());
    assertTrue(Files.notExists(part));
    assertEquals(200, get(sha("logged bytes".getBytes())).statusCode(), "a logged file stays");
    // The app comes back and logs: the server asks for the file it no longer has.
    ObjectNode late = obj("{'project_id':'e/p','name':'late','type':'model'}");
    late.putArray("manifest").addObject().put("path", "w.bin").put("digest", orphan).put("size", 12);
    ServerFixture.Response r = s.post("/artifact/log", late.toString());
    assertEquals(409, r.status(), r.body());
    assertTrue(r.body().contains(orphan), r.body());
  }

  @Test
  void aLargeFileStreamsPastTheRequestBodyLimit() throws Exception {
    byte[] big = new byte[5 << 20]; // the fixture's --max-body-mb is 1
    new Random(7).nextBytes(big);
    String d = sha(big);
    assertEquals(200, put(d, big));
    assertArrayEquals(big, get(d).body());
  }

  @Test
  void aLogIsRefusedUntilItsFilesAreUploadedAndForBadInput() throws Exception {
    ObjectNode body = version("data", files("a.txt", "a"), null);
    ((ObjectNode) body.get("manifest").get(0)).put("digest", sha("not uploaded".getBytes())).put("size", 12);
    body.remove("digest");
    ServerFixture.Response r = s.post("/artifact/log", body);
    assertEquals(409, r.status());
    assertEquals(sha("not uploaded".getBytes()), r.json().at("/missing/0").asText());

    ObjectNode good = version("data", files("a.txt", "a"), null);
    ObjectNode badPath = good.deepCopy();
    ((ObjectNode) badPath.get("manifest").get(0)).put("path", "../etc/passwd");
    badPath.remove("digest");
    assertEquals(400, s.post("/artifact/log", badPath).status());
    assertTrue(s.post("/artifact/log", badPath).json().get("detail").asText().contains(".."));
    ObjectNode badName = good.deepCopy().put("name", "no spaces/allowed");
    assertEquals(400, s.post("/artifact/log", badName).status());
    ObjectNode wrongDigest = good.deepCopy().put("digest", sha("other".getBytes()));
    assertEquals(400, s.post("/artifact/log", wrongDigest).status());
    s.ok("/artifact/log", good);
    ObjectNode otherType = version("data", files("b.txt", "b"), null).put("type", "dataset");
    ServerFixture.Response typed = s.post("/artifact/log", otherType);
    assertEquals(400, typed.status());
    assertTrue(typed.json().get("detail").asText().contains("is of type model"), typed.body());
    assertEquals(404, s.post("/artifact/read", obj("{'project_id':'e/p','name':'data','version':'v7'}")).status());
    assertEquals(422, s.post("/artifact/read", obj("{'project_id':'e/p'}")).status());
  }

  @Test
  void versionsResolveByAliasIndexOrDigestWithTheRunsThatLoggedAndUsedThem() throws Exception {
    ObjectNode first = version("model", files("m.bin", "one"), "trainer-1");
    first.putArray("aliases").add("best");
    JsonNode v0 = s.ok("/artifact/log", first);
    s.ok("/artifact/log", version("model", files("m.bin", "two"), "trainer-2"));
    JsonNode used = s.ok("/artifact/use", obj("{'project_id':'e/p','name':'model','version':'best','run_id':'eval-1'}")).get("artifact");
    assertEquals("v0", used.get("version").asText());
    assertEquals(v0.get("digest").asText(), used.get("digest").asText());
    assertEquals("m.bin", used.at("/files/0/path").asText());
    assertEquals(sha("one".getBytes()), used.at("/files/0/digest").asText());
    assertEquals(3, used.at("/files/0/size").asLong());
    assertEquals(3, used.at("/metadata/epoch").asInt());
    assertEquals("trainer-1", used.get("created_by_run").asText());
    assertEquals("trainer-1", used.at("/logged_by/0/run_id").asText());
    assertEquals("eval-1", used.at("/used_by/0/run_id").asText());

    String digest = v0.get("digest").asText();
    for (String version : new String[] {"v0", digest, digest.substring(0, 10)}) {
      assertEquals("v0", s.ok("/artifact/read", obj("{'project_id':'e/p','name':'model','version':'" + version + "'}"))
          .at("/artifact/version").asText(), version);
    }
    assertEquals("v1", s.ok("/artifact/read", obj("{'project_id':'e/p','name':'model'}")).at("/artifact/version").asText());

    JsonNode ofEval = s.ok("/artifacts/of_run", obj("{'project_id':'e/p','run_id':'eval-1'}"));
    assertEquals(0, ofEval.get("logged").size());
    assertEquals("model", ofEval.at("/used/0/name").asText());
    assertEquals("v0", ofEval.at("/used/0/version").asText());
    JsonNode ofTrainer = s.ok("/artifacts/of_run", obj("{'project_id':'e/p','run_id':'trainer-2'}"));
    assertEquals("v1", ofTrainer.at("/logged/0/version").asText());

    JsonNode list = s.ok("/artifacts/query", obj("{'project_id':'e/p'}")).get("artifacts");
    assertEquals(1, list.size());
    assertEquals(2, list.at("/0/versions").asInt());
    assertEquals("v1", list.at("/0/latest/version").asText());
  }

  @Test
  void retentionKeepsTheLastVersionsAndThoseWithAliasesAndDeletesFilesNothingNeeds() throws Exception {
    ObjectNode v0 = version("ckpt", files("w.bin", "w0", "shared.txt", "s"), null);
    v0.putArray("aliases").add("best");
    s.ok("/artifact/log", v0);
    s.ok("/artifact/log", version("ckpt", files("w.bin", "w1", "shared.txt", "s"), null));
    s.ok("/artifact/log", version("ckpt", files("w.bin", "w2", "shared.txt", "s"), null));
    assertEquals(4, blobs());
    JsonNode v3 = s.ok("/artifact/log", version("ckpt", files("w.bin", "w3", "shared.txt", "s"), null).put("keep_last", 1));
    assertEquals("v3", v3.get("version").asText());
    assertEquals(List.of("v1", "v2"), List.of(v3.at("/deleted_versions/0").asText(), v3.at("/deleted_versions/1").asText()));
    JsonNode versions = s.ok("/artifact/versions", obj("{'project_id':'e/p','name':'ckpt'}")).get("versions");
    assertEquals(2, versions.size());
    assertEquals("v3", versions.get(0).get("version").asText());
    assertEquals("v0", versions.get(1).get("version").asText(), "best keeps v0");
    assertEquals(3, blobs(), "w1 and w2 are gone; shared.txt stays");
    assertEquals(404, get(sha("w1".getBytes())).statusCode());
    assertEquals(200, get(sha("s".getBytes())).statusCode());
    assertEquals(1, s.ok("/artifacts/query", obj("{'project_id':'e/p'}")).at("/artifacts/0/keep_last").asInt());

    JsonNode moved = s.ok("/artifact/retention/update", obj("{'project_id':'e/p','name':'ckpt','keep_last':1}"));
    assertEquals(0, moved.get("deleted_versions").size(), "v0 still has its alias");
    assertEquals(422, s.post("/artifact/retention/update", obj("{'project_id':'e/p','name':'ckpt','keep_last':-1}")).status());
  }
}
