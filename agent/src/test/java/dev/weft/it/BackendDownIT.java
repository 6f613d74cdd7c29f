package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A trace server that is down, failing or hanging changes nothing for the app, the JVM exits
 * within the flush timeout, and what was not delivered is in the spool.
 */
class BackendDownIT {
  static final String APP = "dev.weft.it.apps.ExitApp";

  static AgentRun.Result runAgainst(String endpoint) throws Exception {
    java.nio.file.Path spool = TempDirs.create("weft-spool");
    AgentRun.Result r = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + endpoint)
        .agentArg("flush.timeout=2000").agentArg("spool.dir=" + spool).run(APP, "200", "7");
    // Nothing is lost: what the server did not take is in the spool, and the agent says so.
    try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(spool)) {
      assertTrue(files.anyMatch(f -> f.toString().endsWith(".call_upsert_batch.json.gz")), "calls were spooled");
    }
    assertTrue(r.stderr.contains("sync --spool " + spool), r.stderr);
    return r;
  }

  @Test
  void largeCallsQueuedForAHangingBackendStayWithinTheByteLimit() throws Exception {
    HttpServer server = brokenServer(new AtomicInteger());
    try {
      // 1,000 calls of 256 KB each: 256 MB if the queue kept them all, in a 160 MB heap.
      java.nio.file.Path spool = TempDirs.create("weft-spool");
      AgentRun.Result r = AgentRun.app().jvmArg("-Xmx160m").agentArg("exporters=weave")
          .agentArg("endpoint=http://127.0.0.1:" + server.getAddress().getPort() + "/slow").agentArg("flush.timeout=1000")
          .agentArg("spool.dir=" + spool).agentArg("capture.max_string=300000").agentArg("capture.max_chars=300000")
          .agentArg("queue.max_mb=24").run("dev.weft.it.apps.BigCallsApp", "1000", "262144");
      assertEquals(0, r.exitCode, r.stderr);
      assertTrue(r.stdout.contains("total=" + (1000L * 262144 + 10 + 90 * 2 + 900 * 3)), r.stdout);
      assertTrue(r.stderr.contains("weft.queue.max_mb=24"), "the drop is logged, naming the limit: " + r.stderr);
      java.util.regex.Matcher dropped = java.util.regex.Pattern.compile("(\\d+) calls were dropped").matcher(r.stderr);
      assertTrue(dropped.find() && Integer.parseInt(dropped.group(1)) > 0, "the drops are counted: " + r.stderr);
      java.util.regex.Matcher used = java.util.regex.Pattern.compile("used_mb=(\\d+)").matcher(r.stdout);
      assertTrue(used.find(), r.stdout);
      assertTrue(Integer.parseInt(used.group(1)) < 100, "heap in use at the end: " + used.group(1) + " MB");
    } finally {
      server.stop(0);
    }
  }

  /**
   * A broken trace server: every request is counted and answered 500, and requests under
   * {@code /slow} first hang for a minute.
   */
  private static HttpServer brokenServer(AtomicInteger requests) throws java.io.IOException {
    return StubServer.start(exchange -> {
      requests.incrementAndGet();
      if (exchange.getRequestURI().getPath().startsWith("/slow")) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      exchange.sendResponseHeaders(500, -1);
      exchange.close();
    });
  }

  @Test
  void aRefusingBackendLeavesTheAppAlone() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    long t0 = System.nanoTime();
    AgentRun.Result r = runAgainst("http://127.0.0.1:" + port);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(7, r.exitCode, r.stderr);
    assertTrue(ms < 15_000, "exited within the flush timeout and JVM start-up: " + ms + " ms");
    assertTrue(!r.stderr.contains("internal failure"), r.stderr);
  }

  @Test
  void failingAndHangingBackendsLeaveTheAppAloneAndItExitsOnTime() throws Exception {
    AtomicInteger requests = new AtomicInteger();
    HttpServer server = brokenServer(requests);
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      long t0 = System.nanoTime();
      AgentRun.Result failing = runAgainst(base);
      long failingMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(7, failing.exitCode, failing.stderr);
      assertTrue(requests.get() > 0, "the exporter tried");
      assertTrue(failingMs < 15_000, "answering 500: exited in " + failingMs + " ms");

      t0 = System.nanoTime();
      AgentRun.Result hanging = runAgainst(base + "/slow");
      long hangingMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(7, hanging.exitCode, hanging.stderr);
      assertTrue(hangingMs < 15_000, "hanging: exited in " + hangingMs + " ms");
    } finally {
      server.stop(0);
    }
  }
}
