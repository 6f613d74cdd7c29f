package dev.weft.server.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A candidate run's metrics against a baseline's: each metric's delta, and whether it regressed
 * beyond its tolerance. The CI gate ({@code compare}) and the dashboard both read it, so they agree.
 */
public final class RunComparison {
  /** Metrics named like these are better when lower; every other metric is better when higher. */
  private static final Pattern LOWER_IS_BETTER =
      Pattern.compile("time|latency|duration|loss|error|fail|cost|iteration", Pattern.CASE_INSENSITIVE);

  private RunComparison() {}

  public static boolean lowerIsBetter(String metric) {
    return LOWER_IS_BETTER.matcher(metric).find();
  }

  /**
   * How far a metric may get worse before it is a regression: {@code tolerance} in the metric's
   * units, or as a fraction of the baseline when {@code relative}; and which way is better (null:
   * by its name, as {@link #lowerIsBetter} says).
   */
  public record Gate(String metric, double tolerance, boolean relative, Boolean lowerIsBetter) {
    /**
     * {@code NAME}, {@code NAME:TOLERANCE} ({@code 0.02}, {@code ±0.02}, {@code 5%}), then
     * optionally {@code :higher} or {@code :lower}, which is better.
     */
    public static Gate parse(String spec) {
      String[] parts = spec.split(":", -1);
      if (parts[0].isBlank() || parts.length > 3) {
        throw new IllegalArgumentException("a metric gate is NAME[:TOLERANCE[:higher|lower]], e.g. pass_rate:0.02 or fix_time_seconds:10%; got '" + spec + "'");
      }
      double tolerance = 0;
      boolean relative = false;
      if (parts.length > 1 && !parts[1].isBlank()) {
        String t = parts[1].trim().replaceFirst("^[±+-]", "");
        relative = t.endsWith("%");
        try {
          tolerance = Double.parseDouble(relative ? t.substring(0, t.length() - 1) : t) / (relative ? 100 : 1);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("the tolerance of '" + spec + "' is not a number (0.02) or a percentage (5%)");
        }
        if (!Double.isFinite(tolerance)) throw new IllegalArgumentException("the tolerance of '" + spec + "' is not finite");
      }
      Boolean lower = null;
      if (parts.length == 3) {
        switch (parts[2].trim().toLowerCase(Locale.ROOT)) {
          case "lower" -> lower = true;
          case "higher" -> lower = false;
          default -> throw new IllegalArgumentException("'" + spec + "': which is better is 'higher' or 'lower'");
        }
      }
      return new Gate(parts[0].trim(), tolerance, relative, lower);
    }

    String describe() {
      return "±" + (relative ? trim(tolerance * 100) + "%" : trim(tolerance));
    }

    private static String trim(double v) {
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
  }

  /**
   * One metric of both runs. {@code verdict}: {@code better}, {@code worse} (within its tolerance,
   * or not gated), {@code same}, {@code regressed} (worse beyond it, or gone from the candidate),
   * or {@code missing} (in one run only, not gated).
   */
  public record Row(String metric, Double baseline, Double candidate, Double delta, boolean lowerIsBetter,
      String tolerance, String verdict) {}

  /**
   * The rows, the baseline's metrics first. With no gates each metric both runs have is gated
   * with tolerance 0; with gates only those are, and the rest are shown.
   */
  public static List<Row> compare(Map<String, Double> baseline, Map<String, Double> candidate, List<Gate> gates) {
    Map<String, Gate> gated = new LinkedHashMap<>();
    for (Gate g : gates) gated.put(g.metric(), g);
    Set<String> names = new LinkedHashSet<>(baseline.keySet());
    names.addAll(candidate.keySet());
    names.addAll(gated.keySet());
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      Double b = baseline.get(name), c = candidate.get(name);
      Gate gate = gated.get(name);
      if (gate == null && gates.isEmpty() && b != null && c != null) gate = new Gate(name, 0, false, null);
      boolean lower = gate != null && gate.lowerIsBetter() != null ? gate.lowerIsBetter() : lowerIsBetter(name);
      String tolerance = gate == null ? null : gate.describe();
      if (b == null || c == null) {
        rows.add(new Row(name, b, c, null, lower, tolerance, gate != null && b != null ? "regressed" : "missing"));
        continue;
      }
      double delta = c - b;
      double worseBy = lower ? delta : -delta;
      String verdict;
      if (delta == 0) verdict = "same";
      else if (worseBy < 0) verdict = "better";
      else if (gate != null && worseBy > (gate.relative() ? gate.tolerance() * Math.abs(b) : gate.tolerance()) + 1e-12) verdict = "regressed";
      else verdict = "worse";
      rows.add(new Row(name, b, c, delta, lower, tolerance, verdict));
    }
    return rows;
  }

  public static boolean regressed(List<Row> rows) {
    return rows.stream().anyMatch(r -> r.verdict().equals("regressed"));
  }
}
