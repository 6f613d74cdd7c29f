package dev.weft.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The trace server's throughput and latency, through its HTTP API, with the server jar running
 * in its own JVM: ingest through /call/upsert_batch, one 10,000-call trace read back, and one
 * calls page (limit 100, one op, newest first) with {@code calls} calls stored.
 *
 * <p>Usage: {@code java [-Dbench.clients=4] -cp bench/target/weft-bench.jar dev.weft.bench.ServerBench [calls] [--db JDBC_URL]}
 */
public final class ServerBench {
  // OkHttp with bodies built in advance: the load generator shares the two cores with the server.
  static final OkHttpClient HTTP = new OkHttpClient();
  static final MediaType JSON = MediaType.get("application/json");
  /** Requests in flight while ingesting, as from two agents (each sends two at a time). */
  static final int CLIENTS = Integer.getInteger("bench.clients", 4);

  public static void main(String[] args) throws Exception {
    int total = args.length > 0 && !args[0].startsWith("--") ? Integer.parseInt(args[0]) : 1_000_000;
    int db = Arrays.asList(args).indexOf("--db");
    try (ServerProcess server = new ServerProcess(db >= 0 ? args[db + 1] : null)) {
      run(server.base, db >= 0 ? "PostgreSQL" : "SQLite", total);
    }
  }

  static void run(String base, String store, int total) throws Exception {
    int batchSize = 1000;
    int batches = total / batchSize;
    // Warm-up: 200,000 calls into another project, so both JVMs' JIT compilers are done with
    // the ingest path before the clock starts (a sustained rate, not a cold start).
    ingest(base, bodies("bench/warmup", 200, batchSize));
    byte[][] bodies = bodies("bench/p", batches, batchSize);
    System.err.println("ingesting " + batches * batchSize + " calls");
    long t0 = System.nanoTime();
    ingest(base, bodies);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "| %s | ingest, batches of %d | %,d calls in %.1f s | **%,.0f calls/s** |%n",
        store, batchSize, batches * batchSize, seconds, batches * batchSize / seconds);

    String trace = "{\"project_id\":\"bench/p\",\"filter\":{\"trace_ids\":[\"trace-0\"]}}";
    String page = "{\"project_id\":\"bench/p\",\"filter\":{\"op_names\":[\"weave:///bench/p/op/op3:d\"]},"
        + "\"sort_by\":[{\"field\":\"started_at\",\"direction\":\"desc\"}],\"limit\":100}";
    int traceCalls = count(post(base, "/calls/stream_query", trace));
    int pageCalls = count(post(base, "/calls/stream_query", page));
    System.out.printf(Locale.ROOT, "| %s | read one trace (%,d calls), median of 20 | | **%.1f ms** |%n",
        store, traceCalls, median(base, trace, 20));
    System.out.printf(Locale.ROOT, "| %s | calls page: limit 100, one op, newest first (%,d returned; %,d calls stored), median of 50 | | **%.1f ms** |%n",
        store, pageCalls, batches * batchSize, median(base, page, 50));

    // What the web UI asks for: its landing page (the page and the project list), then a
    // project's calls table as it first opens (roots, newest first, 50, with the total).
    String roots = "{\"project_id\":\"bench/p\",\"filter\":{\"trace_roots_only\":true},"
        + "\"sort_by\":[{\"field\":\"started_at\",\"direction\":\"desc\"}]";
    System.out.printf(Locale.ROOT, "| %s | UI landing page: `GET /` and `/projects/query`, median of 20 | | **%.1f ms** |%n",
        store, median(20, () -> {
          get(base, "/");
          post(base, "/projects/query", "{}");
        }));
    System.out.printf(Locale.ROOT, "| %s | UI calls table: 50 newest roots and their count, median of 20 | | **%.1f ms** |%n",
        store, median(20, () -> {
          post(base, "/calls/query", roots + ",\"limit\":50}");
          post(base, "/calls/query_stats", roots + "}");
        }));
    // The UI's free-text search, as its calls table sends it.
    String text = "{\"$contains\":{\"input\":%s,\"substr\":{\"$literal\":\"bug-42\"},\"case_insensitive\":true}}";
    String search = roots + ",\"query\":{\"$expr\":{\"$or\":[" + String.format(text, "{\"$getField\":\"op_name\"}") + ","
        + String.format(text, "{\"$convert\":{\"input\":{\"$getField\":\"inputs\"},\"to\":\"string\"}}") + "]}}";
    System.out.printf(Locale.ROOT, "| %s | UI calls table searched for `bug-42` (inputs of 1 root in 97), page and count, median of 5 | | **%.1f ms** |%n",
        store, median(5, () -> {
          post(base, "/calls/query", search + ",\"limit\":50}");
          post(base, "/calls/query_stats", search + "}");
        }));
    String failed = roots + ",\"query\":{\"$expr\":{\"$eq\":[{\"$getField\":\"summary.weave.status\"},"
        + "{\"$literal\":\"error\"}]}}";
    System.out.printf(Locale.ROOT, "| %s | UI calls table filtered to failed roots (none fail), page and count, median of 5 | | **%.1f ms** |%n",
        store, median(5, () -> {
          post(base, "/calls/query", failed + ",\"limit\":50}");
          post(base, "/calls/query_stats", failed + "}");
        }));
  }

  /** Request bodies, built before the clock starts so that the load generator costs little CPU. */
  static byte[][] bodies(String project, int batches, int batchSize) {
    byte[][] bodies = new byte[batches][];
    for (int b = 0; b < batches; b++) bodies[b] = batch(project, b, batchSize).getBytes(StandardCharsets.UTF_8);
    return bodies;
  }

  /** Posts the batches to {@code /call/upsert_batch}, {@link #CLIENTS} requests at a time. */
  static void ingest(String base, byte[][] bodies) throws Exception {
    ingest(base, "/call/upsert_batch", bodies, CLIENTS);
  }

  /** Posts the bodies to {@code path}, {@code clients} requests at a time. */
  static void ingest(String base, String path, byte[][] bodies, int clients) throws Exception {
    int batches = bodies.length;
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> work = new ArrayList<>();
    for (int w = 0; w < clients; w++) {
      work.add(pool.submit(() -> {
        for (int b; (b = next.getAndIncrement()) < batches; ) {
          send(base, path, bodies[b]);
          bodies[b] = null;
        }
        return null;
      }));
    }
    for (Future<?> f : work) f.get();
    pool.shutdown();
  }

  interface Step {
    void run() throws Exception;
  }

  static double median(int n, Step step) throws Exception {
    double[] ms = new double[n];
    for (int i = 0; i < 5; i++) step.run(); // warm-up
    for (int i = 0; i < n; i++) {
      long t = System.nanoTime();
      step.run();
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    Arrays.sort(ms);
    return ms[n / 2];
  }

  static void get(String base, String path) throws Exception {
    try (Response r = HTTP.newCall(new Request.Builder().url(base + path).build()).execute()) {
      if (r.code() != 200) throw new IllegalStateException(path + " answered " + r.code());
      r.body().bytes();
    }
  }

  static int count(String jsonl) {
    return (int) jsonl.lines().filter(l -> !l.isBlank()).count();
  }

  static double median(String base, String body, int n) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return median(n, () -> send(base, "/calls/stream_query", bytes));
  }

  static String post(String base, String path, String body) throws Exception {
    return new String(send(base, path, body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
  }

  /** The answer's bytes, undecoded: a timed read should not time the client's text decoding. */
  static byte[] send(String base, String path, byte[] body) throws Exception {
    Request req = new Request.Builder().url(base + path).post(RequestBody.create(body, JSON)).build();
    try (Response r = HTTP.newCall(req).execute()) {
      byte[] answer = r.body().bytes();
      if (r.code() != 200) {
        throw new IllegalStateException(path + " answered " + r.code() + ": " + new String(answer, StandardCharsets.UTF_8));
      }
      return answer;
    }
  }

  /** Batch b: starts and ends of small calls; batches 0–9 form the 10,000-call trace "trace-0". */
  static String batch(String project, int b, int size) {
    StringBuilder sb = new StringBuilder(size * 400).append("{\"batch\":[");
    for (int i = 0; i < size; i++) {
      long n = (long) b * size + i;
      boolean inTrace = b < 10;
      String trace = inTrace ? "trace-0" : "trace-" + (n / 10);
      String parent = inTrace ? (n == 0 ? null : "c0") : (n % 10 == 0 ? null : "c" + (n - n % 10));
      String started = java.time.Instant.ofEpochSecond(1_700_000_000L + n / 1000, (n % 1000) * 1_000_000).toString();
      if (i > 0) sb.append(',');
      sb.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"").append(project).append("\",\"id\":\"c").append(n)
          .append("\",\"trace_id\":\"").append(trace).append("\",\"parent_id\":")
          .append(parent == null ? "null" : "\"" + parent + "\"")
          .append(",\"op_name\":\"weave:///").append(project).append("/op/op").append(n % 10).append(":d\",\"started_at\":\"").append(started)
          .append("\",\"attributes\":{\"weave\":{\"source\":\"bench\"}},\"inputs\":{\"attempt\":").append(n % 7)
          .append(",\"bug\":\"BUG-").append(n % 97).append("\"}}}},");
      sb.append("{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"").append(project).append("\",\"id\":\"c").append(n)
          .append("\",\"ended_at\":\"").append(started).append("\",\"output\":").append(n % 13)
          .append(",\"summary\":{}}}}");
    }
    return sb.append("]}").toString();
  }
}
