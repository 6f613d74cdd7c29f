package dev.weft.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What retention costs ingest on SQLite, where writes take turns: a server holds N calls in
 * traces of 10 started 40 days ago; one client writes a call at a time and times each answer,
 * first with retention off, then while a pass deletes all N (the project's retention set to 30
 * days, the server looking every second). Prints the answer times of both phases and how long the
 * pass took.
 *
 * <p>Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.RetentionBench [calls]}
 */
public final class RetentionBench {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Pattern DELETED = Pattern.compile("weft_retention_deleted_total\\{kind=\"calls\"} (\\S+)");

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    try (ServerProcess server = new ServerProcess(null, "--retention-every-seconds", "1")) {
      String base = server.base;
      ExportBench.warmUp(base);
      String old = Instant.now().minus(40, ChronoUnit.DAYS).toString();
      List<byte[]> seed = new ArrayList<>();
      for (int b = 0; b < n / 1000; b++) seed.add(batch("bench/old", "o" + b + "-", 1000, old));
      ServerBench.ingest(base, seed.toArray(byte[][]::new));
      List<Double> quiet = ingestFor(base, 5_000, null);
      ServerBench.post(base, "/project/retention/update", "{\"project_id\":\"bench/old\",\"retention_days\":30}");
      long t0 = System.nanoTime();
      List<Double> during = ingestFor(base, 600_000, () -> deleted(base) >= n);
      double passSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(Locale.ROOT, "| %,d calls deleted in %.1f s | without retention: %s | during the pass: %s |%n",
          (long) deleted(base), passSeconds, summary(quiet), summary(during));
    }
  }

  /** One call a request, one after another, until {@code millis} pass or {@code done}; each answer's time in ms. */
  private static List<Double> ingestFor(String base, long millis, java.util.function.BooleanSupplier done) throws Exception {
    List<Double> times = new ArrayList<>();
    long end = System.nanoTime() + millis * 1_000_000;
    for (int i = 0; System.nanoTime() < end && (done == null || i % 50 != 0 || !done.getAsBoolean()); i++) {
      byte[] body = batch("bench/live", "l" + System.nanoTime() + "-", 1, Instant.now().toString());
      long t = System.nanoTime();
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/call/upsert_batch"))
          .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) throw new IllegalStateException(r.body());
      times.add((System.nanoTime() - t) / 1e6);
    }
    return times;
  }

  private static double deleted(String base) {
    try {
      String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = DELETED.matcher(metrics);
      return m.find() ? Double.parseDouble(m.group(1)) : 0;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String summary(List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%,d writes, median %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(),
        sorted.get(sorted.size() / 2), sorted.get((int) (sorted.size() * 0.99)), sorted.get(sorted.size() - 1));
  }

  /** Traces of 10 calls (a root and 9 children), started and ended at {@code at}. */
  private static byte[] batch(String project, String prefix, int calls, String at) {
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < calls; i++) {
      String id = prefix + i, trace = prefix + (i / 10), parent = i % 10 == 0 ? null : prefix + (i - i % 10);
      if (i > 0) b.append(',');
      b.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"").append(project).append("\",\"id\":\"").append(id)
          .append("\",\"trace_id\":\"").append(trace).append("\",\"parent_id\":").append(parent == null ? "null" : "\"" + parent + "\"")
          .append(",\"op_name\":\"op\",\"started_at\":\"").append(at).append("\",\"attributes\":{},\"inputs\":{\"i\":").append(i)
          .append("}}}},{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"").append(project).append("\",\"id\":\"").append(id)
          .append("\",\"ended_at\":\"").append(at).append("\",\"output\":").append(i).append(",\"summary\":{}}}}");
    }
    return b.append("]}").toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
