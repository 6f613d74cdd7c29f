package dev.weft.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time by thread of a running JVM, from Linux's {@code /proc} (empty elsewhere): which of its
 * threads — the store's writer, the HTTP threads, the exporter, the JIT — a benchmark's time goes to.
 */
final class ThreadCpu {
  /** Linux's USER_HZ: {@code /proc} counts CPU time in hundredths of a second. */
  private static final double TICK_SECONDS = 0.01;

  /** A thread's group and the ticks it has used, by thread id. */
  record Sample(Map<Long, String> groups, Map<Long, Long> ticks) {}

  private ThreadCpu() {}

  static Sample sample(long pid) {
    Map<Long, String> groups = new HashMap<>();
    Map<Long, Long> ticks = new HashMap<>();
    File[] tasks = new File("/proc/" + pid + "/task").listFiles();
    for (File task : tasks == null ? new File[0] : tasks) {
      try {
        Path dir = task.toPath();
        String stat = Files.readString(dir.resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long tid = Long.parseLong(task.getName());
        groups.put(tid, group(Files.readString(dir.resolve("comm")).trim()));
        ticks.put(tid, Long.parseLong(f[11]) + Long.parseLong(f[12])); // utime + stime
      } catch (IOException | RuntimeException e) {
        // the thread ended while being read: its time is not counted
      }
    }
    return new Sample(groups, ticks);
  }

  /** Seconds each group used from {@code from} to {@code to}; threads gone by {@code to} are left out. */
  static Map<String, Double> between(Sample from, Sample to) {
    Map<String, Double> out = new TreeMap<>();
    to.ticks.forEach((tid, t) -> out.merge(to.groups.get(tid),
        (t - from.ticks.getOrDefault(tid, 0L)) * TICK_SECONDS, Double::sum));
    return out;
  }

  private static String group(String thread) {
    if (thread.startsWith("weft-store-writ")) return "store writer";
    if (thread.startsWith("JettyServerThre") || thread.startsWith("qtp")) return "HTTP";
    if (thread.startsWith("weft-exporter")) return "exporter";
    if (thread.startsWith("weft-sender")) return "sender";
    if (thread.contains("CompilerThre")) return "JIT";
    if (thread.startsWith("GC ") || thread.startsWith("G1 ")) return "GC";
    if (thread.equals("java")) return "main";
    return "other";
  }
}
