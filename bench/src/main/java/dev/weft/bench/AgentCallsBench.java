package dev.weft.bench;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The server alone, fed calls shaped as the agent sends them (an op ref with its digest,
 * attributes, a summary and run fields; about 800 bytes of JSON a call) from bodies built before
 * the clock starts: what the server leaves for the export benchmark, whose app shares the cores.
 * Requests of 5,000 calls, two in flight, as the agent's exporter sends them; as start and end
 * items through {@code /call/upsert_batch} (the agent's form), or with {@code complete}, as one
 * object a call through {@code /v2/{entity}/{project}/calls/complete}.
 *
 * <p>Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.AgentCallsBench [calls] [complete]}
 */
public final class AgentCallsBench {
  public static void main(String[] args) throws Exception {
    int total = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
    boolean complete = args.length > 1 && args[1].equals("complete");
    int size = 5000;
    try (ServerProcess server = new ServerProcess(null)) {
      ServerBench.ingest(server.base, ServerBench.bodies("bench/warmup", 200, 1000));
      byte[][] bodies = new byte[total / size][];
      for (int b = 0; b < bodies.length; b++) bodies[b] = body(b, size, complete).getBytes(StandardCharsets.UTF_8);
      int bytesPerCall = bodies[0].length / size, calls = bodies.length * size; // ingest lets go of the bodies
      long t0 = System.nanoTime();
      ServerBench.ingest(server.base, complete ? "/v2/bench/agent/calls/complete" : "/call/upsert_batch", bodies, 2);
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "| agent-shaped calls, %s, %,d bytes a call | %,d calls in %.1f s | **%,.0f calls/s** |%n",
          complete ? "`calls/complete`" : "`upsert_batch`", bytesPerCall, calls, s, calls / s);
    }
  }

  /**
   * 200,000 agent-shaped calls into another project: a long-running server has compiled its
   * path for the agent's calls, not only for the warm-up calls of {@link ServerBench}.
   */
  static void warmUp(String base) throws Exception {
    byte[][] bodies = new byte[40][];
    for (int b = 0; b < bodies.length; b++) bodies[b] = body(b, 5000, false).getBytes(StandardCharsets.UTF_8);
    ServerBench.ingest(base, "/call/upsert_batch", bodies, 2);
  }

  /** Batch b of root calls, each ended, as the agent's exporter writes them. */
  static String body(int b, int size, boolean complete) {
    StringBuilder sb = new StringBuilder(size * 820).append("{\"batch\":[");
    for (int i = 0; i < size; i++) {
      long n = (long) b * size + i;
      String id = String.format("%016x", 0x1234_5678_0000_0000L + n);
      String trace = String.format("%032x", 0x0190_0000_0000_0000L + n);
      String at = java.time.Instant.ofEpochSecond(1_700_000_000L + n / 1000, (n % 1000) * 1_000_000).toString();
      String start = "\"id\":\"" + id + "\",\"project_id\":\"bench/agent\","
          + "\"op_name\":\"weave:///bench/agent/op/dev.weft.bench.ExportBench_App.fixBug:0123456789abcdefghijklmnopqrstuvwxyzABCDEFG\","
          + "\"display_name\":null,\"trace_id\":\"" + trace + "\",\"parent_id\":null,\"started_at\":\"" + at + "\","
          + "\"attributes\":{\"weave\":{\"client_version\":\"0.1.0-SNAPSHOT\",\"source\":\"java-sdk\",\"sys_version\":\"17.0.15\"},"
          + "\"java\":{\"class\":\"dev.weft.bench.ExportBench$App\",\"method\":\"fixBug\",\"thread\":\"main\"}},"
          + "\"inputs\":{\"attempt\":" + n + ",\"bugId\":\"BUG-1742\"},\"wb_run_id\":\"bench/agent/run-1\",\"wb_run_step\":0";
      String end = "\"ended_at\":\"" + at + "\",\"output\":" + (n + 8)
          + ",\"exception\":null,\"summary\":{\"status_counts\":{\"success\":0,\"error\":0}}";
      if (i > 0) sb.append(',');
      if (complete) {
        sb.append('{').append(start).append(',').append(end).append('}');
      } else {
        sb.append("{\"mode\":\"start\",\"req\":{\"start\":{").append(start).append("}}},");
        sb.append("{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"bench/agent\",\"id\":\"").append(id).append("\",")
            .append(end).append("}}}");
      }
    }
    return sb.append("]}").toString();
  }
}
