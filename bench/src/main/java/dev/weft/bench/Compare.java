package dev.weft.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link CallBench} once per setup, side by side, and prints a Markdown table of time and
 * allocation per call. Usage: {@code java -jar bench/target/weft-bench.jar [--quick] [--exporters|--reactive|--llm]}:
 * by default Weft against no agent and the OpenTelemetry agent; with {@code --exporters}, Weft
 * exporting nowhere, to a JSONL file, and to a local Weft server (started here) through
 * {@code weave}; with {@code --reactive}, {@link ReactiveBench} (a Mono, a suspend function)
 * against no agent and the OpenTelemetry agent; with {@code --llm}, {@link LlmCallBench} (a chat
 * completion through the OpenAI SDK) without the agent and with it.
 */
public final class Compare {
  public static void main(String[] args) throws Exception {
    boolean quick = List.of(args).contains("--quick");
    String weft = Path.of(System.getProperty("weft.agent.jar", "agent/target/weft-agent.jar")).toAbsolutePath().toString();
    String otel = Path.of(System.getProperty("otel.agent.jar", "bench/target/opentelemetry-javaagent.jar")).toAbsolutePath().toString();
    for (String jar : List.of(weft, otel)) {
      if (!Files.exists(Path.of(jar))) throw new IllegalStateException(jar + " not found; run mvn -q -DskipTests package first");
    }
    Map<String, List<String>> setups = new LinkedHashMap<>();
    if (List.of(args).contains("--exporters")) {
      Path dir = Files.createTempDirectory("weft-bench-export");
      try (ServerProcess server = new ServerProcess(null)) {
        setups.put("Weft (exporters=none)", List.of("-javaagent:" + weft + "=exporters=none"));
        // To /dev/null: the export thread writes every line, and tens of millions of them do not fill the disk.
        setups.put("Weft (exporters=jsonl)", List.of("-javaagent:" + weft + "=exporters=jsonl,jsonl.path=/dev/null"));
        setups.put("Weft (exporters=weave, local server)", List.of("-javaagent:" + weft + "=exporters=weave,endpoint="
            + server.base + ",project=bench/exporters,spool.dir=" + dir.resolve("spool")));
        run(setups, quick);
      }
      return;
    }
    if (List.of(args).contains("--llm")) {
      setups.put("no agent", List.of());
      setups.put("Weft (exporters=none)", List.of("-javaagent:" + weft + "=exporters=none"));
      // To /dev/null: the export thread decodes each call and writes it, on the same two cores.
      setups.put("Weft (exporters=jsonl)", List.of("-javaagent:" + weft + "=exporters=jsonl,jsonl.path=/dev/null"));
      run(setups, quick, LlmCallBench.class);
      return;
    }
    Class<?> bench = List.of(args).contains("--reactive") ? ReactiveBench.class : CallBench.class;
    setups.put("no agent", List.of());
    setups.put("Weft, weft.enabled=false", List.of("-javaagent:" + weft + "=enabled=false"));
    setups.put("Weft (exporters=none)", List.of("-javaagent:" + weft + "=exporters=none"));
    setups.put("OpenTelemetry agent 2.33.1 (@WithSpan, exporters none)", List.of("-javaagent:" + otel,
        "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    run(setups, quick, bench);
  }

  private static void run(Map<String, List<String>> setups, boolean quick) throws Exception {
    run(setups, quick, CallBench.class);
  }

  private static void run(Map<String, List<String>> setups, boolean quick, Class<?> bench) throws Exception {
    Map<String, Map<String, double[]>> table = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> setup : setups.entrySet()) {
      ChainedOptionsBuilder options = new OptionsBuilder()
          .include(bench.getName())
          .addProfiler(GCProfiler.class)
          .jvmArgsAppend(setup.getValue().toArray(new String[0]));
      if (quick) {
        options.warmupIterations(2).measurementIterations(3)
            .warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
      }
      Collection<RunResult> results = new Runner(options.build()).run();
      Map<String, double[]> row = new LinkedHashMap<>();
      for (RunResult r : results) {
        String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
        Result alloc = r.getSecondaryResults().get("·gc.alloc.rate.norm");
        if (alloc == null) alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
        Result cpu = r.getSecondaryResults().get("cpuNanos");
        Result calls = r.getSecondaryResults().get("calls");
        row.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
            alloc == null ? Double.NaN : alloc.getScore(),
            cpu == null || calls == null ? Double.NaN : cpu.getScore() / calls.getScore()});
      }
      table.put(setup.getKey(), row);
    }
    print(table);
  }

  private static void print(Map<String, Map<String, double[]>> table) {
    List<String> benchmarks = new ArrayList<>(List.of("untraced", "captureOff", "captureOn",
        "monoUntraced", "monoTraced", "suspendUntraced", "suspendTraced", "chatCompletion"));
    // LlmCallBench counts the app thread's CPU time too: a column of its own where there is one.
    boolean cpu = table.values().stream().flatMap(r -> r.values().stream()).anyMatch(v -> !Double.isNaN(v[3]));
    StringBuilder sb = new StringBuilder("\n| setup | benchmark | ns/call | ± | bytes/call |"
        + (cpu ? " app thread CPU ns/call |\n|---|---|---:|---:|---:|---:|\n" : "\n|---|---|---:|---:|---:|\n"));
    for (Map.Entry<String, Map<String, double[]>> row : table.entrySet()) {
      for (String b : benchmarks) {
        double[] v = row.getValue().get(b);
        if (v == null) continue;
        sb.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.0f |", row.getKey(), b, v[0], v[1], v[2]))
            .append(cpu ? String.format(Locale.ROOT, " %.0f |%n", v[3]) : System.lineSeparator());
      }
    }
    System.out.println(sb);
  }
}
