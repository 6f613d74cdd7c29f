package dev.weft.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up cost of an empty {@code main}: wall time to exit and peak RSS (VmHWM, Linux), median
 * of N runs, without an agent, with Weft, and with the OpenTelemetry agent.
 * Usage: {@code java -cp bench/target/weft-bench.jar dev.weft.bench.Startup [runs]}.
 */
public final class Startup {
  /** The measured program: prints its own peak RSS in kB. */
  public static final class Empty {
    public static void main(String[] args) throws Exception {
      for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) System.out.println(line.replaceAll("\\D+", ""));
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 11;
    String weft = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
    String otel = Path.of(System.getProperty("otel.agent.jar", "bench/target/opentelemetry-javaagent.jar")).toAbsolutePath().toString();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    Map<String, List<String>> setups = new LinkedHashMap<>();
    setups.put("no agent", List.of());
    setups.put("Weft", List.of("-javaagent:" + weft + "=exporters=none"));
    setups.put("OpenTelemetry agent", List.of("-javaagent:" + otel, "-Dotel.traces.exporter=none",
        "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    System.out.println("| setup | start to exit, median ms | peak RSS, median MB |\n|---|---:|---:|");
    for (Map.Entry<String, List<String>> s : setups.entrySet()) {
      double[] ms = new double[runs];
      double[] mb = new double[runs];
      for (int i = 0; i < runs; i++) {
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(s.getValue());
        cmd.addAll(List.of("-cp", cp, Empty.class.getName()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        p.waitFor();
        ms[i] = (System.nanoTime() - t0) / 1e6;
        mb[i] = Long.parseLong(out.lines().reduce((a, b) -> b).orElse("0")) / 1024.0;
      }
      System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f |%n", s.getKey(), median(ms), median(mb));
    }
  }

  static double median(double[] v) {
    double[] c = v.clone();
    Arrays.sort(c);
    return c[c.length / 2];
  }
}
