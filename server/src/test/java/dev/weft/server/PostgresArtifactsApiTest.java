package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Artifacts on PostgreSQL (see {@link PostgresFixtures}), files in a directory beside it. */
class PostgresArtifactsApiTest extends ArtifactsApiContract {
  @Override
  ServerFixture newServer() throws Exception {
    return PostgresFixtures.newServer();
  }

  @Test
  void twoServersOnOneDatabaseShareTheArtifactsDirectory() throws Exception {
    String url = PostgresFixtures.newDatabase();
    Path shared = Files.createTempDirectory("weft-shared-artifacts");
    try (ServerFixture a = new ServerFixture(null, 1 << 20, url); ServerFixture b = new ServerFixture(null, 1 << 20, url)) {
      a.store.useArtifactsDir(shared);
      b.store.useArtifactsDir(shared);
      ServerFixture first = s;
      s = a; // the contract's helpers talk to s
      try {
        a.ok("/artifact/log", version("ckpt", files("w.bin", "weights"), "trainer"));
      } finally {
        s = first;
      }
      JsonNode v = b.ok("/artifact/use", obj("{'project_id':'e/p','name':'ckpt','version':'latest','run_id':'eval'}")).get("artifact");
      assertEquals("v0", v.get("version").asText());
      HttpResponse<byte[]> got = b.http.send(HttpRequest.newBuilder(URI.create(b.base + "/artifact/blob/" + v.at("/files/0/digest").asText()))
          .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, got.statusCode(), "the file a logged is served by b");
      assertArrayEquals("weights".getBytes(), got.body());
      assertEquals("eval", a.ok("/artifact/read", obj("{'project_id':'e/p','name':'ckpt'}")).at("/artifact/used_by/0/run_id").asText());
    } finally {
      PostgresFixtures.drop(url);
      TempDirs.delete(shared);
    }
  }
}
