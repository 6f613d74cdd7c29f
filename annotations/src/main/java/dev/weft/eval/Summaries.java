package dev.weft.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Weave's summary of an evaluation's results, column by column as its SDKs compute it: a column
 * of booleans becomes {@code true_count} and {@code true_fraction}, one of numbers {@code mean},
 * one holding maps is summarised key by key; other columns are left out. Missing values count
 * in the denominator, as in Weave's TypeScript SDK.
 */
final class Summaries {
  private Summaries() {}

  /** Summarises result rows (each a map of column to value), keeping the columns' first-seen order. */
  static Map<String, Object> of(List<? extends Map<String, ?>> rows) {
    Set<String> keys = new LinkedHashSet<>();
    for (Map<String, ?> r : rows) if (r != null) keys.addAll(r.keySet());
    Map<String, Object> out = new LinkedHashMap<>();
    for (String key : keys) {
      List<Object> values = new ArrayList<>(rows.size());
      for (Map<String, ?> r : rows) values.add(r == null ? null : r.get(key));
      Map<String, Object> column = column(values);
      if (!column.isEmpty()) out.put(key, column);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> column(List<Object> values) {
    boolean anyMap = false, allBoolean = true, allNumber = true, anyValue = false;
    for (Object v : values) {
      if (v == null) continue;
      anyValue = true;
      anyMap |= v instanceof Map;
      allBoolean &= v instanceof Boolean;
      allNumber &= v instanceof Number && !Double.isNaN(((Number) v).doubleValue());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    if (!anyValue) return out;
    if (anyMap) {
      List<Map<String, ?>> nested = new ArrayList<>(values.size());
      for (Object v : values) nested.add(v instanceof Map ? stringKeys((Map<?, ?>) v) : null);
      return of(nested);
    }
    if (allBoolean) {
      long trueCount = 0;
      for (Object v : values) if (Boolean.TRUE.equals(v)) trueCount++;
      out.put("true_count", trueCount);
      out.put("true_fraction", (double) trueCount / values.size());
    } else if (allNumber) {
      double sum = 0;
      for (Object v : values) if (v != null) sum += ((Number) v).doubleValue();
      out.put("mean", sum / values.size());
    }
    return out;
  }

  private static Map<String, ?> stringKeys(Map<?, ?> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
    return out;
  }
}
