package dev.weft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Export at each agent's defaults, against the OpenTelemetry Java agent, side by side in one run
 * (issue 13): one app JVM makes a burst of N traced calls as fast as it can and returns from
 * {@code main}, once through Weft's {@code weave} exporter and once through the OpenTelemetry
 * agent's OTLP exporter, both into the same local Weft server (SQLite). For each: calls the server
 * stored (delivered), N minus those (lost), and delivered calls per second of the app JVM's life,
 * from its start to its exit. The setups take turns within each run so that the machine's noise
 * hits both.
 *
 * <p>Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.ExportRatioBench [runs] [burst ...]}
 */
public final class ExportRatioBench {
  /** The app: N calls to one method that both agents trace ({@link Work#captureOn}), then a normal exit. */
  public static final class App {
    public static void main(String[] args) {
      int n = Integer.parseInt(args[0]);
      Work work = new Work();
      long sum = 0;
      for (int i = 0; i < n; i++) sum += work.captureOn(i, "BUG-1742");
      System.out.println("made " + n + " calls (" + sum + ")");
      // Returning, not System.exit: each agent flushes at shutdown as it would in a real app.
    }
  }

  /**
   * One app JVM's outcome: calls the server stored by its exit, calls it left in Weft's spool
   * (the next start, or {@code sync}, uploads them), the rest lost.
   */
  private record Outcome(long delivered, long spooled, long lost, double seconds) {
    double rate() {
      return delivered / seconds;
    }
  }

  private static final String WEFT = "Weft (`weave` exporter, defaults)";
  private static final String OTEL = "OpenTelemetry agent 2.33.1 (OTLP http/protobuf, defaults)";
  private static final String WEFT_JAR = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
  private static final String OTEL_JAR = Path.of(System.getProperty("otel.agent.jar", "bench/target/opentelemetry-javaagent.jar")).toAbsolutePath().toString();

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
    List<Integer> bursts = new ArrayList<>();
    for (int i = 1; i < args.length; i++) bursts.add(Integer.parseInt(args[i]));
    if (bursts.isEmpty()) bursts = List.of(30_000, 200_000);
    for (String jar : List.of(WEFT_JAR, OTEL_JAR)) {
      if (!Files.exists(Path.of(jar))) throw new IllegalStateException(jar + " not found; run mvn -q -DskipTests package first");
    }
    // results.get(burst).get(setup): one outcome per run
    Map<Integer, Map<String, List<Outcome>>> results = new LinkedHashMap<>();
    try (ServerProcess server = new ServerProcess(null)) {
      ExportBench.warmUp(server.base);
      // One unmeasured round as well: the warm-up above leaves the server's OTLP path cold.
      run(server.base, false, bursts.get(0), "warmup");
      run(server.base, true, bursts.get(0), "warmup");
      for (int r = 1; r <= runs; r++) {
        for (int n : bursts) {
          Map<String, List<Outcome>> byBurst = results.computeIfAbsent(n, k -> new LinkedHashMap<>());
          byBurst.computeIfAbsent(WEFT, k -> new ArrayList<>()).add(run(server.base, false, n, String.valueOf(r)));
          byBurst.computeIfAbsent(OTEL, k -> new ArrayList<>()).add(run(server.base, true, n, String.valueOf(r)));
        }
      }
    }
    print(results);
  }

  /** One app JVM of {@code n} calls under Weft's agent or OpenTelemetry's, into project bench/{weft|otel}-n-run. */
  private static Outcome run(String base, boolean otel, int n, String run) throws Exception {
    String project = (otel ? "otel-" : "weft-") + n + "-" + run;
    Path spool = Files.createTempDirectory("weft-bench-spool");
    try {
      List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
      if (otel) {
        // Defaults, except what it takes to reach the server and map spans to the project.
        cmd.addAll(List.of("-javaagent:" + OTEL_JAR,
            "-Dotel.exporter.otlp.protocol=http/protobuf",
            "-Dotel.exporter.otlp.traces.endpoint=" + base + "/otel/v1/traces",
            "-Dotel.resource.attributes=wandb.entity=bench,wandb.project=" + project,
            "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
      } else {
        // Defaults (queue.size by the heap, flush.timeout 5 s), the spool in a folder of its own.
        cmd.add("-javaagent:" + WEFT_JAR + "=exporters=weave,endpoint=" + base + ",project=bench/" + project
            + ",spool.dir=" + spool);
      }
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), App.class.getName(), String.valueOf(n)));
      long t0 = System.nanoTime();
      Process app = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(app.getInputStream().readAllBytes());
      int status = app.waitFor();
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (status != 0) throw new IllegalStateException("the app exited with " + status + ":\n" + out);
      long delivered = settled(base, "bench/" + project);
      // The agents' own word on what they could not send, for the reader to weigh the counts.
      out.lines().filter(l -> l.contains("[weft] warn") || l.matches(".*\\b(WARN|ERROR)\\b.*"))
          .forEach(l -> System.err.println(project + ": " + l));
      // What Weft kept in its spool: uploaded now, after the clock, and counted apart.
      long spooled = 0;
      if (bytes(spool) > 0) {
        sync(base, spool);
        spooled = settled(base, "bench/" + project) - delivered;
      }
      Outcome o = new Outcome(delivered, spooled, n - delivered - spooled, seconds);
      System.err.printf(Locale.ROOT, "%s: %,d delivered, %,d spooled, %,d lost, %.2f s, %,.0f calls/s%n",
          project, o.delivered(), o.spooled(), o.lost(), o.seconds(), o.rate());
      return o;
    } finally {
      ServerProcess.deleteTree(spool);
    }
  }

  /**
   * The project's stored calls once the count has not changed for 2 s: a request sent just before
   * the app exited may still be in the server's hands (its answer waits for the commit).
   */
  private static long settled(String base, String project) throws Exception {
    long count = ExportBench.stored(base, project);
    long since = System.nanoTime(), deadline = since + 120_000_000_000L;
    while (System.nanoTime() - since < 2_000_000_000L && System.nanoTime() < deadline) {
      Thread.sleep(200);
      long now = ExportBench.stored(base, project);
      if (now != count) {
        count = now;
        since = System.nanoTime();
      }
    }
    return count;
  }

  /** Uploads a spool with the server jar's {@code sync}. */
  private static void sync(String base, Path spool) throws Exception {
    String jar = Path.of(System.getProperty("weft.server.jar", "server/target/weft-server.jar")).toAbsolutePath().toString();
    Process sync = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "sync", "--spool", spool.toString(), "--endpoint", base).redirectErrorStream(true).start();
    String out = new String(sync.getInputStream().readAllBytes());
    if (sync.waitFor() != 0) System.err.println("sync of " + spool + " failed:\n" + out);
  }

  /** Bytes in the files under a folder. */
  private static long bytes(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void print(Map<Integer, Map<String, List<Outcome>>> results) throws Exception {
    String cpu = Files.exists(Path.of("/proc/cpuinfo"))
        ? Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
            .map(l -> l.replaceFirst("^[^:]*:\\s*", "")).findFirst().orElse("?")
        : "?";
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%nMachine: %s, %d cores; JDK: %s %s%n",
        cpu, Runtime.getRuntime().availableProcessors(), System.getProperty("java.runtime.name"),
        System.getProperty("java.runtime.version")));
    for (var burst : results.entrySet()) {
      sb.append(String.format(Locale.ROOT, "%n### A burst of %,d calls%n%n", burst.getKey()))
          .append("| setup | run | delivered | kept in the spool | lost | app start to exit, s | delivered calls/s |\n")
          .append("|---|---:|---:|---:|---:|---:|---:|\n");
      Map<String, Double> medians = new LinkedHashMap<>();
      for (var setup : burst.getValue().entrySet()) {
        List<Outcome> outcomes = setup.getValue();
        for (int i = 0; i < outcomes.size(); i++) {
          Outcome o = outcomes.get(i);
          sb.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,d | %,d | %.2f | %,.0f |%n",
              setup.getKey(), i + 1, o.delivered(), o.spooled(), o.lost(), o.seconds(), o.rate()));
        }
        double median = Startup.median(outcomes.stream().mapToDouble(Outcome::rate).toArray());
        medians.put(setup.getKey(), median);
        sb.append(String.format(Locale.ROOT, "| %s | median | | | | | **%,.0f** |%n", setup.getKey(), median));
      }
      double otel = medians.get(OTEL);
      sb.append(String.format(Locale.ROOT, "%nRatio of medians, Weft / OpenTelemetry: **%s**%n",
          otel > 0 ? String.format(Locale.ROOT, "%.1f×", medians.get(WEFT) / otel) : "n/a (OpenTelemetry delivered nothing)"));
    }
    System.out.println(sb);
  }
}
