package dev.weft.bench;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replicas on one PostgreSQL under load: 1, 2 and then 3 servers on a new database each, and four
 * app JVMs under the agent ({@link ExportBench.App}) spread over them in turn, as a load balancer
 * would. For each: calls per second from the apps' start until every call is stored, whether each
 * server reads back every call (all written through the others too), and the p99 latency of
 * {@code /call/upsert_batch} from the servers' own {@code /metrics} histograms, merged. Nothing
 * may be lost: the count must be exact.
 *
 * <p>Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.ReplicaBench [calls per app]
 * [server counts, e.g. 1,2,3]}; the database server is {@code -Dbench.pg.url} (a JDBC URL whose
 * user may create databases; default: the local one of {@code .ci/run}).
 */
public final class ReplicaBench {
  private static final int APPS = 4;
  private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
  private static final Pattern BUCKET = Pattern.compile(
      "http_server_requests_seconds_bucket\\{method=\"POST\",route=\"/call/upsert_batch\",status=\"200\",le=\"([^\"]+)\"} (\\S+)");

  public static void main(String[] args) throws Exception {
    int perApp = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String[] counts = (args.length > 1 ? args[1] : "1,2,3").split(",");
    String admin = System.getProperty("bench.pg.url", "jdbc:postgresql://127.0.0.1:5432/postgres?user=weft&password=weft");
    System.out.println("| servers | app JVMs | calls | stored, read back through each server | s | calls/s | p99 upsert_batch"
        + " | CPU busy | CPU µs a call: servers / PostgreSQL / the rest |");
    System.out.println("|---:|---:|---:|---|---:|---:|---:|---:|---|");
    for (String c : counts) run(Integer.parseInt(c.trim()), perApp, admin);
  }

  private static void run(int servers, int perApp, String admin) throws Exception {
    String db = "weft_bench_" + Long.toHexString(System.nanoTime());
    sql(admin, "CREATE DATABASE " + db);
    String url = admin.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
    List<ServerProcess> started = new ArrayList<>();
    try {
      for (int i = 0; i < servers; i++) started.add(new ServerProcess(url));
      for (ServerProcess s : started) ExportBench.warmUp(s.base);
      TreeMap<Double, Double> before = histogram(started);
      long[] cpu0 = cpu();
      double servers0 = serversCpu(started), postgres0 = postgresCpu();
      long t0 = System.nanoTime();
      List<Process> apps = new ArrayList<>();
      for (int a = 0; a < APPS; a++) apps.add(app(started.get(a % servers).base, perApp));
      long total = (long) APPS * perApp, stored = 0;
      for (Process app : apps) {
        String out = new String(app.getInputStream().readAllBytes());
        app.waitFor();
        if (out.contains("dropp")) System.out.println("app: " + out.strip());
      }
      while (stored < total && System.nanoTime() - t0 < 900_000_000_000L) {
        stored = ExportBench.stored(started.get(0).base, "bench/replicas");
        if (stored < total) Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long[] cpu1 = cpu();
      double serversCpu = serversCpu(started) - servers0, postgresCpu = postgresCpu() - postgres0;
      double allCpu = (cpu1[0] - cpu0[0]) * 0.01; // jiffies of 10 ms
      List<Long> readBack = new ArrayList<>();
      for (ServerProcess s : started) readBack.add(ExportBench.stored(s.base, "bench/replicas"));
      double p99 = percentile(delta(before, histogram(started)), 0.99);
      System.out.printf(Locale.ROOT, "| %d | %d | %,d | %s | %.1f | **%,.0f** | %.0f ms | %.0f%% | %.1f / %.1f / %.1f |%n",
          servers, APPS, total, readBack, seconds, stored / seconds, p99 * 1000,
          cpu1[1] == cpu0[1] ? 0 : 100.0 * (cpu1[0] - cpu0[0]) / (cpu1[1] - cpu0[1]),
          serversCpu * 1e6 / total, postgresCpu * 1e6 / total, (allCpu - serversCpu - postgresCpu) * 1e6 / total);
    } finally {
      for (ServerProcess s : started) s.close();
      sql(admin, "DROP DATABASE IF EXISTS " + db);
    }
  }

  private static Process app(String endpoint, int calls) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String agent = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
    return new ProcessBuilder(java, "-javaagent:" + agent + "=exporters=weave,endpoint=" + endpoint
        + ",project=bench/replicas,queue.size=" + Integer.highestOneBit(calls) * 4 + ",flush.timeout=600000",
        "-cp", System.getProperty("java.class.path"), ExportBench.App.class.getName(), String.valueOf(calls))
        .redirectErrorStream(true).start();
  }

  /** The servers' upsert_batch latency histograms, summed: bucket's upper bound in seconds → count at or below it. */
  private static TreeMap<Double, Double> histogram(List<ServerProcess> servers) throws Exception {
    TreeMap<Double, Double> sum = new TreeMap<>();
    for (ServerProcess s : servers) {
      String metrics = HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + "/metrics")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      Matcher m = BUCKET.matcher(metrics);
      while (m.find()) {
        double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
        sum.merge(le, Double.parseDouble(m.group(2)), Double::sum);
      }
    }
    return sum;
  }

  private static TreeMap<Double, Double> delta(TreeMap<Double, Double> before, TreeMap<Double, Double> after) {
    TreeMap<Double, Double> out = new TreeMap<>();
    after.forEach((le, n) -> out.put(le, n - before.getOrDefault(le, 0.0)));
    return out;
  }

  /** The upper bound of the bucket the {@code q} quantile falls in, as Prometheus' histogram_quantile bounds it. */
  private static double percentile(TreeMap<Double, Double> cumulative, double q) {
    double total = cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    for (var e : cumulative.entrySet()) if (e.getValue() >= q * total) return e.getKey();
    return Double.NaN;
  }

  private static double serversCpu(List<ServerProcess> servers) {
    double sum = 0;
    for (ServerProcess s : servers) sum += ServerProcess.cpu(s.process.toHandle()).toNanos() / 1e9;
    return sum;
  }

  /** CPU seconds of every process named postgres so far (the local database server's), from /proc; 0 elsewhere. */
  private static double postgresCpu() {
    double sum = 0;
    try (var dirs = Files.list(Path.of("/proc"))) {
      for (Path d : (Iterable<Path>) dirs::iterator) {
        if (!d.getFileName().toString().matches("\\d+")) continue;
        try {
          String stat = Files.readString(d.resolve("stat"));
          if (!stat.contains("(postgres)")) continue;
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          sum += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 0.01; // utime, stime in 10 ms ticks
        } catch (Exception gone) {
          // the process ended meanwhile
        }
      }
    } catch (Exception e) {
      return 0;
    }
    return sum;
  }

  /** The machine's busy and total jiffies so far, from /proc/stat; zeros elsewhere. */
  private static long[] cpu() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < f.length; i++) total += Long.parseLong(f[i]);
      long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new long[] {total - idle, total};
    } catch (Exception e) {
      return new long[] {0, 0};
    }
  }

  /**
   * One statement on the database server, through the PostgreSQL driver inside the server's jar:
   * the benchmarks carry no database driver of their own.
   */
  private static void sql(String url, String statement) throws Exception {
    Path jar = Path.of(System.getProperty("weft.server.jar", "server/target/weft-server.jar")).toAbsolutePath();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      Driver driver = (Driver) loader.loadClass("org.postgresql.Driver").getDeclaredConstructor().newInstance();
      try (Connection c = driver.connect(url, new Properties()); Statement s = c.createStatement()) {
        s.execute(statement);
      }
    }
  }
}
