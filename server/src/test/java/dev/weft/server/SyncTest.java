package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.weft.wire.SpoolFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code sync} uploads a spool as the agent wrote it, says what it left, and exits accordingly. */
class SyncTest {
  private final Path spool = Files.createTempDirectory("weft-spool");

  SyncTest() throws IOException {}

  @AfterEach
  void removeSpool() {
    TempDirs.delete(spool);
  }

  @Test
  void spooledFilesAreUploadedAndRemovedAndRefusedOnesMovedAside() throws Exception {
    Path a = spooled(1, "/call/upsert_batch", call("a"));
    Path refused = spooled(2, "/call/upsert_batch", "{\"batch\": \"not a list\"}");
    Path b = spooled(3, "/call/upsert_batch", call("b"));
    try (ServerFixture s = ServerFixture.start()) {
      Run r = sync("--endpoint", s.base + "/");
      assertEquals(1, r.exit, r.toString());
      assertTrue(r.out.contains("uploaded 2 file(s), 1 refused"), r.toString());
      assertTrue(r.err.contains("\nthe trace server refused spooled " + refused.getFileName()), r.toString());
      assertTrue(Files.notExists(a) && Files.notExists(b) && Files.notExists(refused));
      assertTrue(Files.exists(spool.resolve(SpoolFiles.REJECTED).resolve(refused.getFileName())));
      for (String id : List.of("a", "b")) {
        assertEquals(200, s.post("/call/read", obj("{'project_id':'acme/sync','id':'" + id + "'}")).status(), id);
      }
    }
  }

  @Test
  void anUnreachableServerLeavesEveryFileForLater() throws Exception {
    spooled(1, "/call/upsert_batch", call("a"));
    spooled(2, "/call/upsert_batch", call("b"));
    int port;
    try (ServerSocket closed = new ServerSocket(0)) {
      port = closed.getLocalPort();
    }
    Run r = sync("--endpoint", "http://127.0.0.1:" + port);
    assertEquals(1, r.exit, r.toString());
    assertTrue(r.err.contains("is unreachable"), r.toString());
    assertTrue(r.err.contains("2 file(s) left in " + spool + "; try again later"), r.toString());
    assertEquals(2, SpoolFiles.list(spool).size());
  }

  @Test
  void aMissingSpoolIsExit2AndAnEmptyOneHasNothingToUpload() throws Exception {
    Run missing = sync0("--spool", spool.resolve("none").toString());
    assertEquals(2, missing.exit, missing.toString());
    Run empty = sync();
    assertEquals(0, empty.exit, empty.toString());
    assertTrue(empty.out.contains("nothing to upload in " + spool), empty.toString());
  }

  @Test
  void withCallsCompleteCallsGoThroughCallsCompleteFromTheFirstFile() throws Exception {
    spooled(1, "/call/upsert_batch", call("a"));
    spooled(2, "/run/finish", "{\"project_id\": \"acme/sync\", \"id\": \"r\"}");
    List<String> seen = Collections.synchronizedList(new ArrayList<>());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      seen.add(ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Content-Encoding"));
      ex.getRequestBody().readAllBytes();
      ex.sendResponseHeaders(200, 2);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("{}".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
    try {
      Run r = sync("--endpoint", "http://127.0.0.1:" + server.getAddress().getPort(), "--calls-complete");
      assertEquals(0, r.exit, r.toString());
      assertEquals(List.of("/v2/acme/sync/calls/complete gzip", "/run/finish gzip"), seen);
    } finally {
      server.stop(0);
    }
  }

  /** One call, started and ended, as the agent batches it. */
  private static String call(String id) {
    return obj("{'batch':[{'mode':'start','req':{'start':{'project_id':'acme/sync','id':'" + id + "','trace_id':'t',"
        + "'op_name':'weave:///acme/sync/op/f:abc','started_at':'2025-01-01T00:00:00Z','attributes':{},'inputs':{}}}},"
        + "{'mode':'end','req':{'end':{'project_id':'acme/sync','id':'" + id + "','ended_at':'2025-01-01T00:00:01Z',"
        + "'output':1,'summary':{}}}}]}").toString();
  }

  /** A spool file as the agent writes it: the body gzip-compressed, named for its route. */
  private Path spooled(int seq, String path, String json) throws IOException {
    Path f = spool.resolve(SpoolFiles.name(1_700_000_000_000L + seq, seq, path));
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    return f;
  }

  record Run(int exit, String out, String err) {}

  private Run sync(String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of("--spool", spool.toString()));
    all.addAll(List.of(args));
    return sync0(all.toArray(String[]::new));
  }

  /** {@code weft-server sync ARGS} in a JVM of its own, for its exit code and its two streams. */
  private static Run sync0(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "dev.weft.server.Main", "sync"));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("weft-sync", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      return new Run(p.exitValue(), out, Files.readString(err));
    } finally {
      Files.delete(err);
    }
  }
}
