package dev.weft.bench;

import dev.weft.Traced;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls per second from one app JVM, through the agent's weave exporter, committed by the local
 * server (SQLite), with the queue large enough that nothing is dropped: the app makes N traced
 * calls as fast as it can; the clock runs from the app JVM's start until the server has stored
 * all N. The server is warmed up first, as a long-running local server is, with calls of both
 * its benchmark's shape and the agent's; the app is not. It also prints the CPU time each JVM
 * used and, on Linux, the steady state's CPU a call by thread ({@link ThreadCpu}).
 *
 * <p>Usage: {@code java [-Dbench.app.jvmArgs=...] -cp bench/target/weft-bench.jar dev.weft.bench.ExportBench [calls]}
 */
public final class ExportBench {
  /** The app under the agent. */
  public static final class App {
    @Traced
    static int fixBug(int attempt, String bugId) {
      return attempt + bugId.length();
    }

    public static void main(String[] args) {
      int n = Integer.parseInt(args[0]);
      long sum = 0;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) sum += fixBug(i, "BUG-1742");
      System.out.println("made " + n + " calls in " + (System.nanoTime() - t0) / 1_000_000 + " ms (" + sum + ")");
    }
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String agent = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
    try (ServerProcess server = new ServerProcess(null)) {
      String base = server.base;
      warmUp(base);
      Duration serverCpu0 = ServerProcess.cpu(server.process.toHandle());
      long t0 = System.nanoTime();
      List<String> cmd = new ArrayList<>(List.of(java));
      // e.g. -Dbench.app.jvmArgs=-XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit, to profile the app
      cmd.addAll(ServerProcess.jvmArgs("bench.app.jvmArgs"));
      cmd.addAll(List.of("-javaagent:" + agent + "=exporters=weave,endpoint=" + base
          + ",project=bench/export,queue.size=" + Integer.highestOneBit(n) * 4 + ",flush.timeout=600000",
          "-cp", System.getProperty("java.class.path"), App.class.getName(), String.valueOf(n)));
      Process app = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      // The app's CPU time, sampled while it runs: a process's own is gone once it has exited.
      // Every 250 ms, both JVMs' time by thread too, for the steady state printed at the end.
      AtomicReference<Duration> appCpu = new AtomicReference<>(Duration.ZERO);
      List<Snapshot> snapshots = new ArrayList<>();
      Thread sampler = new Thread(() -> {
        for (long i = 0; app.isAlive(); i++) {
          Duration d = ServerProcess.cpu(app.toHandle());
          if (d.compareTo(appCpu.get()) > 0) appCpu.set(d);
          if (i % 12 == 0) {
            snapshots.add(new Snapshot(System.nanoTime(), ThreadCpu.sample(app.pid()), ThreadCpu.sample(server.process.pid())));
          }
          try {
            Thread.sleep(20);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      sampler.start();
      String appOut = new String(app.getInputStream().readAllBytes());
      app.waitFor();
      sampler.join();
      long count = 0;
      while (count < n && (System.nanoTime() - t0) < 600_000_000_000L) {
        count = stored(base, "bench/export");
        if (count < n) Thread.sleep(100);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double serverCpu = (ServerProcess.cpu(server.process.toHandle()).minus(serverCpu0)).toNanos() / 1e9;
      double appSeconds = appCpu.get().toNanos() / 1e9;
      System.out.println(appOut.lines().filter(l -> l.startsWith("made") || l.contains("dropp")).reduce("", (a, b) -> a + b + "\n"));
      System.out.printf(Locale.ROOT, "| weave exporter → local server (SQLite) | %,d of %,d calls stored in %.1f s (app JVM start to last call stored) | **%,.0f calls/s** |%n",
          count, n, seconds, count / seconds);
      System.out.printf(Locale.ROOT, "CPU: app %.1f s (%.1f µs a call, sampled every 20 ms), server %.1f s (%.1f µs a call), %.0f%% of %d cores%n",
          appSeconds, appSeconds * 1e6 / n, serverCpu, serverCpu * 1e6 / n,
          100 * (appSeconds + serverCpu) / seconds / Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().availableProcessors());
      printSteadyState(n, snapshots);
    }
  }

  /**
   * Warms the server up as a long-running local server is, with calls of both its benchmark's
   * shape and the agent's, so that its JIT is done with the ingest path.
   */
  static void warmUp(String base) throws Exception {
    ServerBench.ingest(base, ServerBench.bodies("bench/warmup", 200, 1000));
    AgentCallsBench.warmUp(base);
  }

  /** Calls the server has stored in {@code project}. */
  static long stored(String base, String project) throws Exception {
    String stats = ServerBench.post(base, "/calls/query_stats", "{\"project_id\":\"" + project + "\"}");
    return Long.parseLong(stats.replaceAll("\\D", "")); // the answer is {"count":N}
  }

  /** Both JVMs' CPU time by thread, at one moment. */
  private record Snapshot(long nanos, ThreadCpu.Sample app, ThreadCpu.Sample server) {}

  /**
   * CPU per call by thread over 40–90% of the app JVM's life, once its JIT has settled: the calls
   * in that window are counted at the run's mean rate, an estimate, as the server is not asked.
   */
  private static void printSteadyState(int n, List<Snapshot> snapshots) {
    if (snapshots.size() < 10) return;
    long start = snapshots.get(0).nanos(), life = snapshots.get(snapshots.size() - 1).nanos() - start;
    Snapshot from = null, to = null;
    for (Snapshot s : snapshots) {
      long t = s.nanos() - start;
      if (from == null && t >= life * 4 / 10) from = s;
      if (t <= life * 9 / 10) to = s;
    }
    double windowSeconds = (to.nanos() - from.nanos()) / 1e9;
    double calls = n * windowSeconds / (life / 1e9);
    if (calls <= 0) return;
    StringBuilder line = new StringBuilder("app:");
    double total = 0;
    for (var e : ThreadCpu.between(from.app(), to.app()).entrySet()) total += append(line, e.getKey(), e.getValue() * 1e6 / calls);
    line.append("; server:");
    for (var e : ThreadCpu.between(from.server(), to.server()).entrySet()) total += append(line, e.getKey(), e.getValue() * 1e6 / calls);
    if (total == 0) return; // no /proc
    System.out.printf(Locale.ROOT, "steady state (%.1f s, about %,.0f calls), CPU µs a call by thread: %s; total %.1f%n",
        windowSeconds, calls, line, total);
  }

  /** Appends a group's µs a call, when large enough to show; returns it. */
  private static double append(StringBuilder line, String group, double micros) {
    if (micros >= 0.05) line.append(String.format(Locale.ROOT, " %s %.1f", group, micros));
    return micros;
  }
}
