package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.store.Blobs;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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

  /**
   * Retention frees a file while a log elsewhere (another server) reuses it: the log holds the
   * file from its check to its commit, so the removal waits for it, then sees the new reference
   * and keeps the file. Without the hold the file went, and the logged version lacked its bytes.
   */
  @Test
  void aFileThatALogInAnotherServerReusesIsNotRemovedUnderIt() throws Exception {
    s.ok("/artifact/log", version("ckpt", files("x.bin", "shared bytes"), "r1"));
    s.ok("/artifact/log", version("ckpt", files("y.bin", "other bytes"), "r1"));
    String x = sha("shared bytes".getBytes());
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (Connection other = DriverManager.getConnection(s.jdbcUrl)) {
      other.setAutoCommit(false);
      try (Statement st = other.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(" + Blobs.lockKey(x) + ")");
        st.executeUpdate("INSERT INTO artifact_files (project_id, name, version_digest, path, digest, size)"
            + " VALUES ('e/p', 'dataset', 'in-flight', 'x.bin', '" + x + "', 12)");
      }
      // keep_last 1 deletes v0, x.bin's only committed reference, and goes to remove the file.
      Future<JsonNode> retention = pool.submit(() ->
          s.ok("/artifact/retention/update", obj("{'project_id':'e/p','name':'ckpt','keep_last':1}")));
      Thread.sleep(1000);
      assertFalse(retention.isDone(), "the removal waits for the log that holds the file");
      other.commit();
      assertEquals("v0", retention.get(30, TimeUnit.SECONDS).at("/deleted_versions/0").asText());
    } finally {
      pool.shutdownNow();
    }
    assertEquals(200, get(x).statusCode(), "the file the log reused is still there");
  }
}
