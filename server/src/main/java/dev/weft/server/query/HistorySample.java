package dev.weft.server.query;

import dev.weft.server.store.RunStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A long metric history cut down for a chart as W&B samples it: each metric's steps in equal
 * buckets, of each bucket its lowest and highest point (in step order), and always the first and
 * last point, so spikes and the end survive while a 100,000-point history becomes a few hundred.
 */
public final class HistorySample {
  private HistorySample() {}

  /** At most about {@code samples} points of each metric of {@code points} (sorted by step). */
  public static List<RunStore.Point> of(List<RunStore.Point> points, int samples) {
    Map<String, List<RunStore.Point>> byMetric = new LinkedHashMap<>();
    for (RunStore.Point p : points) byMetric.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(p);
    List<RunStore.Point> out = new ArrayList<>();
    for (List<RunStore.Point> metric : byMetric.values()) out.addAll(sample(metric, samples));
    out.sort((a, b) -> a.step() != b.step() ? Long.compare(a.step(), b.step()) : a.name().compareTo(b.name()));
    return out;
  }

  private static List<RunStore.Point> sample(List<RunStore.Point> points, int samples) {
    if (points.size() <= samples) return points;
    int buckets = Math.max(1, (samples - 2) / 2);
    List<RunStore.Point> out = new ArrayList<>();
    out.add(points.get(0));
    int n = points.size() - 2; // between the first and the last
    for (int b = 0; b < buckets; b++) {
      int from = 1 + (int) ((long) n * b / buckets), to = 1 + (int) ((long) n * (b + 1) / buckets);
      if (from >= to) continue;
      RunStore.Point min = points.get(from), max = min;
      for (int i = from + 1; i < to; i++) {
        RunStore.Point p = points.get(i);
        if (p.value() < min.value()) min = p;
        if (p.value() > max.value()) max = p;
      }
      if (min.step() <= max.step()) {
        out.add(min);
        if (max != min) out.add(max);
      } else {
        out.add(max);
        out.add(min);
      }
    }
    out.add(points.get(points.size() - 1));
    return out;
  }
}
