package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Artifacts end to end: an app under the agent logs versions of a checkpoint to the server jar,
 * another run uses one, the server's {@code artifact} command gets it back, and with the server
 * away or the agent offline the spool keeps them until {@code sync}.
 */
class ArtifactIT {
  private static final String PROJECT = "acme/artifacts";

  static AgentRun.Result app(LiveServer server, Path cache, String... args) throws Exception {
    return app(server.base, cache, cache.resolveSibling("spool"), args);
  }

  static AgentRun.Result app(String endpoint, Path cache, Path spool, String... args) throws Exception {
    AgentRun run = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint).agentArg("project=" + PROJECT)
        .agentArg("artifacts.cache_dir=" + cache);
    if (spool != null) run.agentArg("spool.dir=" + spool);
    AgentRun.Result r = run.run("dev.weft.it.apps.ArtifactApp", args);
    assertEquals(0, r.exitCode, r.stderr);
    return r;
  }

  static String printed(AgentRun.Result r, String key) {
    return r.stdout.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(() -> new AssertionError(r.stdout))
        .substring(key.length() + 1);
  }

  static long blobs(LiveServer server) throws Exception {
    Path dir = server.data.resolve("artifacts");
    if (!Files.isDirectory(dir)) return 0;
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().matches("[0-9a-f]{64}")).count();
    }
  }

  static Process cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        Path.of(System.getProperty("weft.server.jar", "../server/target/weft-server.jar")).toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }

  static String cliOk(String... args) throws Exception {
    Process p = cli(args);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  static List<Path> files(Path dir) throws Exception {
    try (Stream<Path> all = Files.walk(dir)) {
      return all.filter(Files::isRegularFile).map(dir::relativize).sorted().collect(Collectors.toList());
    }
  }

  static void assertSameFiles(Path expected, Path actual) throws Exception {
    assertEquals(files(expected), files(actual));
    for (Path f : files(expected)) assertArrayEquals(Files.readAllBytes(expected.resolve(f)), Files.readAllBytes(actual.resolve(f)), f.toString());
  }

  @Test
  void twoVersionsShareTheirUnchangedFileAndAnotherRunUsesOneWithLineage() throws Exception {
    Path work = TempDirs.create("weft-artifact");
    Path ckpt = Files.createDirectories(work.resolve("ckpt"));
    byte[] weights = new byte[3 << 20];
    new Random(1).nextBytes(weights);
    Files.write(ckpt.resolve("weights.bin"), weights);
    Files.createDirectories(ckpt.resolve("meta"));
    Files.writeString(ckpt.resolve("meta/config.json"), "{\"layers\": 4}");
    Path cache = work.resolve("cache");
    try (LiveServer server = new LiveServer()) {
      AgentRun.Result first = app(server, cache, "log", "ckpt", ckpt.toString());
      String v0 = printed(first, "digest");
      assertTrue(v0.matches("[0-9a-f]{64}"), first.stdout + first.stderr);
      assertTrue(first.stderr.contains("ckpt:v0") && first.stderr.contains("sent 2 file(s)"), first.stderr);
      assertEquals(2, blobs(server));

      weights[0] ^= 1; // one file changed, one not
      Files.write(ckpt.resolve("weights.bin"), weights);
      AgentRun.Result second = app(server, cache, "log", "ckpt", ckpt.toString(), "best");
      String v1 = printed(second, "digest");
      assertNotEquals(v0, v1);
      assertTrue(second.stderr.contains("ckpt:v1") && second.stderr.contains("sent 1 file(s), " + weights.length + " bytes"),
          "only the changed file is sent: " + second.stderr);
      assertEquals(3, blobs(server), "config.json is stored once for both versions");

      AgentRun.Result third = app(server, cache, "log", "ckpt", ckpt.toString());
      assertEquals(v1, printed(third, "digest"), "the same content is the same version");
      assertTrue(third.stderr.contains("ckpt:v1") && third.stderr.contains("was logged before; sent 0 file(s), 0 bytes"),
          third.stderr);
      assertEquals(3, blobs(server));

      AgentRun.Result user = app(server, cache, "use", "ckpt:best");
      Path used = Path.of(printed(user, "path"));
      assertEquals(cache.resolve("ckpt").resolve(v1), used);
      assertSameFiles(ckpt, used);
      long downloadedAt = Files.getLastModifiedTime(used.resolve("weights.bin")).toMillis();
      AgentRun.Result again = app(server, cache, "use", "ckpt:" + v1.substring(0, 12));
      assertEquals(used.toString(), printed(again, "path"), "the cached version is reused");
      assertEquals(downloadedAt, Files.getLastModifiedTime(used.resolve("weights.bin")).toMillis());

      JsonNode version = server.post("/artifact/read", "{\"project_id\":\"" + PROJECT + "\",\"name\":\"ckpt\",\"version\":\"v1\"}")
          .get("artifact");
      assertEquals(v1, version.get("digest").asText());
      assertEquals(List.of("latest", "best"), List.of(version.at("/aliases/0").asText(), version.at("/aliases/1").asText()));
      assertEquals(3, version.at("/metadata/epoch").asInt());
      assertEquals(printed(second, "run"), version.get("created_by_run").asText());
      assertEquals(List.of(printed(second, "run"), printed(third, "run")), runIds(version.get("logged_by")));
      assertEquals(List.of(printed(user, "run"), printed(again, "run")), runIds(version.get("used_by")));
      JsonNode old = server.post("/artifact/read", "{\"project_id\":\"" + PROJECT + "\",\"name\":\"ckpt\",\"version\":\"v0\"}")
          .get("artifact");
      assertEquals(List.of(printed(first, "run")), runIds(old.get("logged_by")));
      assertEquals(0, old.get("used_by").size());
      JsonNode ofUser = server.post("/artifacts/of_run", "{\"project_id\":\"" + PROJECT + "\",\"run_id\":\"" + printed(user, "run") + "\"}");
      assertEquals("v1", ofUser.at("/used/0/version").asText());

      Path got = work.resolve("got");
      String out = cliOk("artifact", "get", "ckpt:v0", "--to", got.toString(), "--server", server.base, "--project", PROJECT);
      assertTrue(out.contains("downloaded ckpt:v0"), out);
      weights[0] ^= 1;
      assertArrayEquals(weights, Files.readAllBytes(got.resolve("weights.bin")), "v0 comes back byte for byte");
      assertEquals("{\"layers\": 4}", Files.readString(got.resolve("meta/config.json")));
      String ls = cliOk("artifact", "ls", "--server", server.base, "--project", PROJECT);
      assertTrue(ls.lines().anyMatch(l -> l.startsWith("ckpt ") && l.contains("checkpoint") && l.contains(" v1 ")), ls);
      String versions = cliOk("artifact", "ls", "ckpt", "--server", server.base, "--project", PROJECT);
      assertTrue(versions.lines().anyMatch(l -> l.startsWith("v1 ") && l.contains("latest,best")), versions);
      Process missing = cli("artifact", "get", "ckpt:v9", "--to", got.toString(), "--server", server.base, "--project", PROJECT);
      String said = new String(missing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(missing.waitFor(60, TimeUnit.SECONDS));
      assertEquals(1, missing.exitValue());
      assertTrue(said.contains("no artifact ckpt:v9"), said);
    }
  }

  @Test
  void withoutTheAgentTheFacadeReturnsNullAndReadsNoFile() throws Exception {
    AgentRun.Result log = AgentRun.app().withoutAgent().run("dev.weft.it.apps.ArtifactApp", "log", "ckpt", "/no/such/dir");
    assertEquals(0, log.exitCode, log.stderr);
    assertEquals("null", printed(log, "digest"));
    AgentRun.Result use = AgentRun.app().withoutAgent().run("dev.weft.it.apps.ArtifactApp", "use", "ckpt:latest");
    assertEquals("null", printed(use, "path"));
  }

  static List<String> runIds(JsonNode lineage) {
    List<String> out = new ArrayList<>();
    for (JsonNode l : lineage) out.add(l.get("run_id").asText());
    return out;
  }

  @Test
  void anArtifactLargerThanTheSpoolsRoomIsNotKeptAndTheAppIsToldSo() throws Exception {
    Path work = TempDirs.create("weft-artifact");
    Path data = Files.createDirectories(work.resolve("data"));
    byte[] big = new byte[2 << 20];
    new Random(11).nextBytes(big);
    Files.write(data.resolve("weights.bin"), big);
    Path spool = work.resolve("spool");
    AgentRun.Result offline = AgentRun.app().agentArg("exporters=weave").agentArg("project=" + PROJECT)
        .agentArg("spool.dir=" + spool).agentArg("spool.max_mb=1").agentArg("mode=offline")
        .run("dev.weft.it.apps.ArtifactApp", "log", "ckpt", data.toString());
    assertEquals(0, offline.exitCode, offline.stderr);
    assertEquals("null", printed(offline, "digest"), "Weft.artifact says nothing was logged");
    assertTrue(offline.stderr.contains("could not keep artifact ckpt in the spool") && offline.stderr.contains("weft.spool.max_mb"),
        offline.stderr);
    try (Stream<Path> kept = Files.walk(spool)) {
      assertEquals(List.of(), kept.filter(Files::isRegularFile).filter(p -> spool.relativize(p).toString().startsWith("artifacts"))
          .collect(Collectors.toList()), "nothing of it in the spool");
    }
  }

  @Test
  void aServerThatIsDownOrOfflineModeSpoolsTheArtifactAndSyncUploadsIt() throws Exception {
    Path work = TempDirs.create("weft-artifact");
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("train.csv"), "x,y\n1,2\n");
    Path spool = work.resolve("spool");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    AgentRun.Result down = app("http://127.0.0.1:" + port, work.resolve("cache"), spool, "log", "dataset", data.toString());
    String digest = printed(down, "digest");
    assertTrue(digest.matches("[0-9a-f]{64}"), down.stderr);
    assertTrue(down.stderr.contains("kept in"), down.stderr);
    Files.writeString(data.resolve("train.csv"), "changed after logging"); // the spool kept its own copy

    try (LiveServer server = new LiveServer()) {
      Path offlineData = Files.createDirectories(work.resolve("offline"));
      Files.writeString(offlineData.resolve("eval.csv"), "a\n");
      AgentRun.Result offline = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=" + PROJECT).agentArg("spool.dir=" + spool).agentArg("mode=offline")
          .agentArg("artifacts.cache_dir=" + work.resolve("cache")).run("dev.weft.it.apps.ArtifactApp", "log", "evalset", offlineData.toString());
      assertEquals(0, offline.exitCode, offline.stderr);
      assertTrue(printed(offline, "digest").matches("[0-9a-f]{64}"));
      assertEquals(404, status(server, "dataset"), "nothing sent while down or offline");
      assertEquals(404, status(server, "evalset"));

      String out = SpoolIT.sync(spool, server.base);
      assertTrue(out.contains("uploaded 2 artifact log(s)"), out);
      JsonNode v = server.post("/artifact/read", "{\"project_id\":\"" + PROJECT + "\",\"name\":\"dataset\"}").get("artifact");
      assertEquals(digest, v.get("digest").asText());
      assertEquals(printed(down, "run"), v.at("/logged_by/0/run_id").asText());
      Path got = work.resolve("got");
      cliOk("artifact", "get", "dataset:latest", "--to", got.toString(), "--server", server.base, "--project", PROJECT);
      assertEquals("x,y\n1,2\n", Files.readString(got.resolve("train.csv")), "what was logged, not what the file became");
      assertEquals("evalset", server.post("/artifact/read", "{\"project_id\":\"" + PROJECT + "\",\"name\":\"evalset\"}")
          .at("/artifact/name").asText());
      try (Stream<Path> left = Files.list(spool.resolve("artifacts"))) {
        assertEquals(List.of("blobs"), left.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
      }
      try (Stream<Path> left = Files.list(spool.resolve("artifacts/blobs"))) {
        assertEquals(0, left.count(), "the spool's copies go once uploaded");
      }

      // Used online once (cached, its alias noted), then offline: the cache answers, the use is spooled.
      AgentRun.Result online = app(server.base, work.resolve("cache"), spool, "use", "dataset:latest");
      Path cached = Path.of(printed(online, "path"));
      AgentRun.Result offlineUse = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=" + PROJECT).agentArg("spool.dir=" + spool).agentArg("mode=offline")
          .agentArg("artifacts.cache_dir=" + work.resolve("cache")).run("dev.weft.it.apps.ArtifactApp", "use", "dataset:latest");
      assertEquals(0, offlineUse.exitCode, offlineUse.stderr);
      assertEquals(cached.toString(), printed(offlineUse, "path"));
      assertEquals("x,y\n1,2\n", Files.readString(cached.resolve("train.csv")));
      SpoolIT.sync(spool, server.base);
      JsonNode usedBy = server.post("/artifact/read", "{\"project_id\":\"" + PROJECT + "\",\"name\":\"dataset\"}").at("/artifact/used_by");
      assertEquals(List.of(printed(online, "run"), printed(offlineUse, "run")), runIds(usedBy));
    }
  }

  static int status(LiveServer server, String name) throws Exception {
    return server.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.base + "/artifact/read"))
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"project_id\":\"" + PROJECT + "\",\"name\":\"" + name + "\"}"))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
  }
}
