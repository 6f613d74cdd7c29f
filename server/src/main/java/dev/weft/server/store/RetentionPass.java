package dev.weft.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One project's retention, once: finds what is older than its cutoffs and, unless it is a dry run,
 * deletes it in small transactions. Reads find the work; each write deletes at most {@link #CHUNK}
 * calls, so on SQLite, where writes take turns, ingest waits for retention only a few
 * milliseconds at a time.
 *
 * <p>What goes: whole traces whose newest call started before the trace cutoff, with their
 * feedback; then the objects those calls referred to (ops by name, others by ref in their inputs
 * and output) that no call left and no other object refers to; calls whose end came without a
 * start before the cutoff; and runs that ended (or, never finished, started) before the run
 * cutoff, with their metrics and tables.
 */
final class RetentionPass {
  /** Calls deleted in one transaction: a few milliseconds of SQLite's writer (docs/benchmarks.md). */
  static final int CHUNK = 100;
  private static final Pattern REF = Pattern.compile("weave:///([^/\"]+/[^/\"]+)/(op|object)/([^:/\"]+):([A-Za-z0-9_*-]+)");

  /** What went, or with a dry run would go. */
  static final class Tally {
    long traces, calls, feedback, objects, runs, metricPoints;

    boolean any() {
      return traces + calls + feedback + objects + runs + metricPoints > 0;
    }
  }

  private final Db db;
  private final boolean postgres;
  private final String projectId;
  private final boolean dryRun;
  private final Tally tally = new Tally();
  /** Calls of traces that go, deleted a chunk at a time: many small traces share a transaction. */
  private final List<String> pending = new ArrayList<>();
  /** Refs the deleted calls held, checked once the project's traces are gone. */
  private final Set<String> refs = new LinkedHashSet<>();

  RetentionPass(Db db, boolean postgres, String projectId, boolean dryRun) {
    this.db = db;
    this.postgres = postgres;
    this.projectId = projectId;
    this.dryRun = dryRun;
  }

  /** Cutoffs in epoch microseconds; null keeps that kind forever. */
  Tally run(Long traceCutoff, Long runCutoff) throws SQLException {
    if (traceCutoff != null) {
      traces(traceCutoff);
      if (!dryRun) objects();
      else tally.objects = refs.size(); // at most: each goes only if nothing left refers to it
      endsWithoutStarts(traceCutoff);
    }
    if (runCutoff != null) runs(runCutoff);
    return tally;
  }

  /**
   * Walks the project's calls older than the cutoff in index order, deciding each trace once. The
   * walk's tie-break after the start time is what the index holds next: the id on PostgreSQL, the
   * row id on SQLite (its index ends there), so a page is an index range, never a sort.
   */
  private void traces(long cutoff) throws SQLException {
    Set<String> decided = new java.util.HashSet<>();
    String tie = postgres ? "id" : "rowid";
    long afterStart = Long.MIN_VALUE;
    Object afterTie = postgres ? "" : Long.MIN_VALUE;
    for (int rows = -1; rows != 0; ) {
      rows = 0;
      List<String> candidates = new ArrayList<>();
      try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
          "SELECT trace_id, started_at, " + tie + " FROM calls WHERE project_id = ? AND started_at < ?"
              + " AND (started_at, " + tie + ") > (?, ?) ORDER BY started_at, " + tie + " LIMIT 500")) {
        Db.bind(ps, projectId, cutoff, afterStart, afterTie);
        try (ResultSet rs = ps.executeQuery()) {
          for (; rs.next(); rows++) {
            String trace = rs.getString(1);
            if (trace != null && decided.add(trace)) candidates.add(trace);
            afterStart = rs.getLong(2);
            afterTie = postgres ? rs.getString(3) : (Object) rs.getLong(3);
          }
        }
      }
      for (String trace : candidates) trace(trace, cutoff);
    }
    deletePending();
  }

  /**
   * A trace goes whole, only when its newest call is older than the cutoff; its calls join the
   * next chunk. Read in the trace's index order, which SQLite's planner then takes for this query
   * rather than walking the project's calls by start time.
   */
  private void trace(String traceId, long cutoff) throws SQLException {
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("SELECT id, started_at, op_name,"
        + " inputs, output FROM calls WHERE project_id = ? AND trace_id = ? ORDER BY started_at, id")) {
      Db.bind(ps, projectId, traceId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long started = rs.getLong(2);
          if (!rs.wasNull() && started >= cutoff) return; // a call of the trace is recent: all of it stays
          ids.add(rs.getString(1));
          for (int col = 3; col <= 5; col++) texts.add(rs.getString(col));
        }
      }
    }
    tally.traces++;
    for (String text : texts) collectRefs(text);
    pending.addAll(ids);
    while (pending.size() >= CHUNK) {
      List<String> chunk = pending.subList(0, CHUNK);
      deleteCalls(new ArrayList<>(chunk));
      chunk.clear();
    }
  }

  private void deletePending() throws SQLException {
    if (!pending.isEmpty()) deleteCalls(new ArrayList<>(pending));
    pending.clear();
  }

  private void collectRefs(String text) {
    if (text == null || !text.contains("weave:///")) return;
    Matcher m = REF.matcher(text);
    while (m.find()) {
      if (m.group(1).equals(projectId) && !m.group(4).equals("*")) refs.add(m.group(2) + "/" + m.group(3) + ":" + m.group(4));
    }
  }

  /** Calls and the feedback about them, in one transaction. */
  private void deleteCalls(List<String> ids) throws SQLException {
    List<String> callRefs = new ArrayList<>();
    for (String id : ids) callRefs.add("weave:///" + projectId + "/call/" + id);
    String marks = marks(ids.size());
    if (dryRun) {
      tally.calls += ids.size();
      tally.feedback += count("SELECT COUNT(*) FROM feedback WHERE project_id = ? AND weave_ref IN (" + marks + ")", callRefs);
      return;
    }
    long start = System.nanoTime();
    int[] deleted = db.transaction("retention: deleting calls", c -> new int[] {
      update(c, "DELETE FROM feedback WHERE project_id = ? AND weave_ref IN (" + marks + ")", callRefs),
      update(c, "DELETE FROM calls WHERE project_id = ? AND id IN (" + marks + ")", ids),
    });
    tally.feedback += deleted[0];
    tally.calls += deleted[1];
    pause((System.nanoTime() - start) / 1_000_000);
  }

  /** Object versions the deleted calls referred to, if nothing left refers to them. */
  private void objects() throws SQLException {
    for (String ref : refs) {
      int slash = ref.indexOf('/'), colon = ref.lastIndexOf(':');
      String kind = ref.substring(0, slash), objectId = ref.substring(slash + 1, colon), digest = ref.substring(colon + 1);
      String full = "weave:///" + projectId + "/" + ref;
      if (stillReferenced(kind, full)) continue;
      tally.objects += db.transaction("retention: deleting an object", c -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM objects WHERE project_id = ? AND object_id = ?"
            + " AND digest = ?")) {
          Db.bind(ps, projectId, objectId, digest);
          return ps.executeUpdate();
        }
      });
    }
  }

  /**
   * An op is found by its key, through the index. Another object's ref is searched for in the
   * project's calls and objects: a scan, but only for the few objects the deleted calls named.
   */
  private boolean stillReferenced(String kind, String ref) throws SQLException {
    if (kind.equals("op")) {
      return count("SELECT COUNT(*) FROM (SELECT 1 FROM calls WHERE op_key = ? AND op_name = ? LIMIT 1) x",
          List.of(OpKeys.of(projectId, ref), ref), false) > 0;
    }
    String like = "%" + ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    return count("SELECT COUNT(*) FROM (SELECT 1 FROM calls WHERE project_id = ? AND (inputs LIKE ? ESCAPE '\\'"
        + " OR output LIKE ? ESCAPE '\\' OR attributes LIKE ? ESCAPE '\\') LIMIT 1) x", List.of(projectId, like, like, like), false) > 0
        || count("SELECT COUNT(*) FROM (SELECT 1 FROM objects WHERE project_id = ? AND val LIKE ? ESCAPE '\\' LIMIT 1) x",
            List.of(projectId, like), false) > 0;
  }

  /** An end that never got its start, older than the cutoff: nothing will ever show it. */
  private void endsWithoutStarts(long cutoff) throws SQLException {
    String find = "SELECT id FROM calls WHERE project_id = ? AND started_at IS NULL AND ended_at < ?";
    if (dryRun) {
      tally.calls += count("SELECT COUNT(*) FROM (" + find + ") x", List.of(projectId, cutoff), false);
      return;
    }
    while (true) {
      int n = db.transaction("retention: deleting ends without starts", c -> {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM calls WHERE project_id = ? AND id IN ("
            + find + " LIMIT " + CHUNK + ")")) {
          Db.bind(ps, projectId, projectId, cutoff);
          return ps.executeUpdate();
        }
      });
      tally.calls += n;
      if (n < CHUNK) return;
      pause();
    }
  }

  /** Runs, their metric points (in chunks: a run may have thousands) and their tables. */
  private void runs(long cutoff) throws SQLException {
    List<String> runIds = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM runs WHERE project_id = ? AND started_at < ? AND COALESCE(ended_at, started_at) < ?")) {
      Db.bind(ps, projectId, cutoff, cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) runIds.add(rs.getString(1));
      }
    }
    String row = postgres ? "ctid" : "rowid";
    for (String runId : runIds) {
      tally.runs++;
      if (dryRun) {
        tally.metricPoints += count("SELECT COUNT(*) FROM run_metrics WHERE project_id = ? AND run_id = ?", List.of(runId), true);
        continue;
      }
      while (true) {
        int n = db.transaction("retention: deleting metric points", c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM run_metrics WHERE " + row + " IN (SELECT " + row
              + " FROM run_metrics WHERE project_id = ? AND run_id = ? LIMIT " + (CHUNK * 10) + ")")) {
            Db.bind(ps, projectId, runId);
            return ps.executeUpdate();
          }
        });
        tally.metricPoints += n;
        if (n < CHUNK * 10) break;
        pause();
      }
      db.transaction("retention: deleting a run", c -> {
        update(c, "DELETE FROM run_tables WHERE project_id = ? AND run_id IN (?)", List.of(runId));
        return update(c, "DELETE FROM runs WHERE project_id = ? AND id IN (?)", List.of(runId));
      });
    }
  }

  private long count(String sql, List<?> args) throws SQLException {
    return count(sql, args, true);
  }

  /** {@code sql}'s one number; its parameters are the project then {@code args}, unless {@code withProject} is false. */
  private long count(String sql, List<?> args, boolean withProject) throws SQLException {
    List<Object> all = new ArrayList<>();
    if (withProject) all.add(projectId);
    all.addAll(args);
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, all.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private int update(Connection c, String sql, List<String> args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      List<Object> all = new ArrayList<>(List.of(projectId));
      all.addAll(args);
      Db.bind(ps, all.toArray());
      return ps.executeUpdate();
    }
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** The server is stopping: the pass ends between two chunks. */
  static final class Stopped extends RuntimeException {
    Stopped() {
      super("retention stopped", null, false, false);
    }
  }

  /** Leaves the writer to ingest between chunks; stops the pass when the server stops. */
  private static void pause() {
    pause(2);
  }

  /**
   * Waits as long as the last chunk took (at least 2 ms): retention has at most half of SQLite's
   * writer, however slow its disk.
   */
  private static void pause(long millis) {
    try {
      Thread.sleep(Math.max(2, millis));
    } catch (InterruptedException e) {
      throw new Stopped();
    }
  }
}
