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

  /** How a start with an id the store knows is taken: W&B's {@code resume} modes. */
  enum Resume { NEVER, ALLOW, MUST }

  /**
   * What a start did. CREATED: a new run. UPDATED: a start of the same session (the same
   * {@code started_at}) again, with new config or tags. RESUMED: a later session goes on with the
   * run, running again after {@code lastStep} (-1: nothing logged). EXISTS: refused, the id is
   * taken and resume is NEVER. MISSING: refused, nothing to resume and resume is MUST.
   */
  record Started(How how, long lastStep) {
    public enum How { CREATED, UPDATED, RESUMED, EXISTS, MISSING }
  }

  /**
   * What a log did: points {@code stored} anew, {@code merged} over a point of the same metric at
   * the same step (the newer value wins: never two points), and {@code refused}, one line each,
   * for steps behind the metric's last one (steps only move forward, as in W&B).
   */
  record Logged(int stored, int merged, List<String> refused) {}

  /**
   * Starts a run: a new one; the same session's start again (its descriptive fields updated);
   * or an earlier session's run, as {@code resume} allows: state back to running, config merged
   * (the newer value of a key wins), tags joined, summary, history and name kept.
   */
  Started startRun(Run run, Resume resume);

  /** The highest step the run logged, or -1. */
  long lastStep(String projectId, String runId);

  /** The run was heard from: a crashed run that is heard from again is running. False if there is no such run. */
  boolean heartbeat(String projectId, String id);

  /** Runs still running but not heard from since {@code heardBeforeMicros} become crashed: those this call marked. */
  List<Run> markCrashed(long heardBeforeMicros);

  /** Sets the final state (and end time); false if there is no such run. */
  boolean finishRun(String projectId, String id, String state, long endedAt);

  /** Merges {@code summary} (a JSON object as text) into the run's summary. */
  boolean mergeSummary(String projectId, String id, Map<String, String> summaryJsonValues);

  /** Null if there is no such run. */
  Logged appendPoints(String projectId, String runId, List<Point> points);

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
