package dev.weft.server.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs (one per agent start, as W&B runs): their state, metrics history, summary and tables. */
public interface RunStore {
  List<String> STATES = List.of("running", "finished", "failed", "crashed");

  /** JSON-valued fields are JSON text; times are epoch microseconds. */
  record Run(String projectId, String id, String name, String state, String config, String tags,
      String group, String environment, String summary, long startedAt, Long endedAt) {}

  record Point(long step, long timestamp, String name, double value, String callId) {}

  record Table(String name, String columns, String rows) {}

  /** Creates the run, or updates its descriptive fields if it exists. */
  void startRun(Run run);

  /** Sets the final state (and end time); false if there is no such run. */
  boolean finishRun(String projectId, String id, String state, long endedAt);

  /** Merges {@code summary} (a JSON object as text) into the run's summary. */
  boolean mergeSummary(String projectId, String id, Map<String, String> summaryJsonValues);

  boolean appendPoints(String projectId, String runId, List<Point> points);

  boolean putTable(String projectId, String runId, Table table);

  Optional<Run> readRun(String projectId, String id);

  /** Points of a run, by step then name; {@code names} null means all metrics. */
  List<Point> history(String projectId, String runId, List<String> names);

  List<Table> tables(String projectId, String runId);

  /** Runs of a project, newest first. */
  List<Run> queryRuns(String projectId, Long limit, long offset);

  /** The value at the highest step of each metric of each given run: run id → name → value. */
  Map<String, Map<String, Double>> latestMetrics(String projectId, List<String> runIds);
}
