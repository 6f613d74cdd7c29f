package dev.weft.agent.run;

import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.WeftBridge;
import dev.weft.agent.capture.Capture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This JVM's run: what the app logs through {@code Weft.log}, {@code Weft.summary},
 * {@code Weft.config} and {@code Weft.table}, held until the export thread sends it. Logging
 * never blocks; past the queue's bound points are dropped and counted.
 */
public final class RunState implements WeftBridge.RunSink {
  /** One metric value at a step. */
  public static final class Point {
    public final long step;
    public final long epochMicros;
    public final String name;
    public final double value;
    public final String callId;

    Point(long step, long epochMicros, String name, double value, String callId) {
      this.step = step;
      this.epochMicros = epochMicros;
      this.name = name;
      this.value = value;
      this.callId = callId;
    }
  }

  /** A named table of rows (captured values) under columns. */
  public static final class Table {
    public final String name;
    public final List<String> columns;
    public final List<List<Object>> rows;

    Table(String name, List<String> columns, List<List<Object>> rows) {
      this.name = name;
      this.columns = columns;
      this.rows = rows;
    }
  }

  private static final int MAX_PENDING = 100_000;

  public final String id;
  public final String name;
  /** allow, must or never when the id was given (weft.run.id), to go on with an earlier run; else null. */
  public final String resume;
  public final long startedEpochMicros = System.currentTimeMillis() * 1000;
  private final AtomicLong step = new AtomicLong();
  private final int every;
  private final ArrayBlockingQueue<Point> points = new ArrayBlockingQueue<>(MAX_PENDING);
  private final AtomicLong droppedPoints = new AtomicLong();
  private final Map<String, Object> config = new LinkedHashMap<>();
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final List<Table> tables = new ArrayList<>();
  private boolean configChanged;

  public RunState(String id, String name, String resume, Map<String, Object> initialConfig) {
    this(id, name, resume, initialConfig, 1);
  }

  /** {@code every}: the metrics of every Nth step are kept, the others not sent (weft.log.every). */
  public RunState(String id, String name, String resume, Map<String, Object> initialConfig, int every) {
    this.every = Math.max(1, every);
    this.id = id;
    this.name = name;
    this.resume = resume;
    this.config.putAll(initialConfig);
  }

  @Override
  public String runId() {
    return id;
  }

  /** Going on with an earlier session's run: steps continue after {@code lastStep}. Before the app runs. */
  public void continueAfter(long lastStep) {
    step.accumulateAndGet(lastStep + 1, Math::max);
  }

  /** The step the next {@code Weft.log} without an explicit step will use. */
  @Override
  public long currentStep() {
    return step.get();
  }

  /**
   * A step is taken and its points queued under one lock, so points reach the server in step
   * order: it refuses a point behind a metric's last step, as W&B does.
   */
  @Override
  public synchronized void log(Map<String, ? extends Number> metrics, Long explicitStep, Call call) {
    long s;
    if (explicitStep != null) {
      s = explicitStep;
      step.accumulateAndGet(explicitStep + 1, Math::max);
    } else {
      s = step.getAndIncrement();
    }
    if (s % every != 0) return;
    long now = System.currentTimeMillis() * 1000;
    String callId = call == null ? null : call.id();
    for (Map.Entry<String, ? extends Number> m : metrics.entrySet()) {
      if (m.getKey() == null || m.getValue() == null) continue;
      double v = m.getValue().doubleValue();
      if (!Double.isFinite(v)) continue;
      if (!points.offer(new Point(s, now, m.getKey(), v, callId)) && droppedPoints.getAndIncrement() == 0) {
        Log.warn("metrics queue full: dropping metric points; the count is in the run summary");
      }
    }
  }

  @Override
  public synchronized void summary(String key, Object value) {
    summary.put(key, Capture.value(value));
  }

  @Override
  public synchronized void config(Map<String, ?> values) {
    for (Map.Entry<String, ?> e : values.entrySet()) config.put(e.getKey(), Capture.value(e.getValue()));
    configChanged = true;
  }

  @Override
  public synchronized void table(String name, List<String> columns, List<? extends List<?>> rows) {
    List<List<Object>> copy = new ArrayList<>();
    for (List<?> r : rows) {
      List<Object> row = new ArrayList<>();
      for (Object v : r) row.add(Capture.value(v));
      copy.add(row);
    }
    tables.removeIf(t -> t.name.equals(name));
    tables.add(new Table(name, List.copyOf(columns), copy));
  }

  /** Points logged since the last drain. */
  public List<Point> drainPoints() {
    List<Point> out = new ArrayList<>();
    points.drainTo(out);
    return out;
  }

  public long droppedPoints() {
    return droppedPoints.get();
  }

  public synchronized Map<String, Object> config() {
    return new LinkedHashMap<>(config);
  }

  /** The config if it changed since the last call, else null. */
  public synchronized Map<String, Object> takeConfigChange() {
    if (!configChanged) return null;
    configChanged = false;
    return new LinkedHashMap<>(config);
  }

  /** Summary values and tables set so far, taken (each is sent once). */
  public synchronized Map<String, Object> takeSummary() {
    Map<String, Object> out = new LinkedHashMap<>(summary);
    summary.clear();
    return out;
  }

  public synchronized List<Table> takeTables() {
    List<Table> out = new ArrayList<>(tables);
    tables.clear();
    return out;
  }
}
