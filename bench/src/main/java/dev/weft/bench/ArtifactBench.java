package dev.weft.bench;

import dev.weft.Weft;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A large artifact's round trip through the local server: an app under the agent logs one file
 * of N MiB ({@code Weft.artifact}), logs it again (the same version: hashed, nothing sent), uses
 * it from an empty cache ({@code Weft.useArtifact}: downloaded and checked) and again (the
 * cache). The app and the server run with a 256 MB heap, so a file that sat in memory would not
 * fit; each phase's time, and the peak memory of both JVMs (resident set, and the app's heap) are
 * printed as a Markdown table.
 *
 * <p>Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.ArtifactBench [MiB, default 1024]}
 */
public final class ArtifactBench {
  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
    if (System.getProperty("weft.server.jvmArgs") == null) System.setProperty("weft.server.jvmArgs", "-Xmx256m");
    Path work = Files.createTempDirectory("weft-artifact-bench");
    Path file = work.resolve("model").resolve("weights.bin");
    Files.createDirectories(file.getParent());
    write(file, mib);
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    try (ServerProcess server = new ServerProcess(null)) {
      String agent = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
      List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-javaagent:" + agent + "=exporters=weave,endpoint=" + server.base + ",project=bench/artifacts,artifacts.cache_dir="
              + work.resolve("cache") + ",spool.dir=" + work.resolve("spool") + ",log.level=warn",
          "-Xmx256m", "-cp", System.getProperty("java.class.path"), App.class.getName(), file.getParent().toString());
      Process app = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      String out = new String(app.getInputStream().readAllBytes());
      if (app.waitFor() != 0) throw new IllegalStateException("the app failed: " + out);
      long serverPeak = peakRss(server.process.pid());
      System.out.printf(Locale.ROOT, "%d MiB, load average before: %s%n%n", mib, load);
      System.out.println("| phase | s | MiB/s |");
      System.out.println("|---|---:|---:|");
      for (String line : out.split("\n")) {
        if (!line.startsWith("phase ")) continue;
        String[] p = line.split(" ");
        double s = Double.parseDouble(p[2]);
        System.out.printf(Locale.ROOT, "| %s | %.1f | %.0f |%n", p[1].replace('_', ' '), s, mib / s);
      }
      System.out.println();
      for (String line : out.split("\n")) if (line.startsWith("memory ")) System.out.println("app (-Xmx256m): " + line.substring(7));
      System.out.printf(Locale.ROOT, "server (-Xmx256m): peak RSS %d MiB%n", serverPeak >> 20);
    } finally {
      ServerProcess.deleteTree(work);
    }
  }

  /** {@code mib} MiB of random bytes, from one random MiB with each copy's index written in. */
  private static void write(Path file, int mib) throws Exception {
    byte[] block = new byte[1 << 20];
    new Random(42).nextBytes(block);
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        block[0] = (byte) i;
        block[1] = (byte) (i >> 8);
        out.write(block);
      }
    }
  }

  /** The app: the four phases, each timed; then its own peak memory. */
  public static final class App {
    public static void main(String[] args) throws Exception {
      Path dir = Path.of(args[0]);
      String first = time("log", () -> Weft.artifact("weights", "checkpoint", dir));
      String again = time("log_again_(same_version)", () -> Weft.artifact("weights", "checkpoint", dir));
      if (first == null || !first.equals(again)) throw new IllegalStateException("not logged: " + first + " " + again);
      Path used = time("use_(download)", () -> Weft.useArtifact("weights:latest"));
      Path cached = time("use_again_(cache)", () -> Weft.useArtifact("weights:latest"));
      if (used == null || !used.equals(cached) || Files.size(used.resolve("weights.bin")) != Files.size(dir.resolve("weights.bin"))) {
        throw new IllegalStateException("not used: " + used + " " + cached);
      }
      long heap = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) heap += pool.getPeakUsage().getUsed();
      }
      System.out.printf(Locale.ROOT, "memory peak RSS %d MiB, peak heap used %d MiB%n", peakRss(ProcessHandle.current().pid()) >> 20, heap >> 20);
    }

    private interface Phase<T> {
      T run() throws Exception;
    }

    private static <T> T time(String name, Phase<T> phase) throws Exception {
      long t0 = System.nanoTime();
      T result = phase.run();
      System.out.printf(Locale.ROOT, "phase %s %.3f%n", name, (System.nanoTime() - t0) / 1e9);
      return result;
    }
  }

  /** A process's peak resident set (VmHWM), in bytes; 0 where /proc does not say. */
  static long peakRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    } catch (Exception e) {
      // not Linux
    }
    return 0;
  }
}
