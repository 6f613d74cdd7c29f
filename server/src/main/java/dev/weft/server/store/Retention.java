package dev.weft.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long traces and runs are kept: the server's default ({@code serve --retention-days}), each
 * project's own setting, and the background work that deletes what is older ({@link RetentionPass})
 * and gives the space back. On PostgreSQL one server at a time does it (an advisory lock), however
 * many share the database.
 */
public final class Retention implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);
  private static final long LOCK_KEY = 0x77656674_72L; // "weft" "r"
  private static final long DAY_MICROS = 86_400_000_000L;

  /** Days kept: {@code 0} keeps forever; in a project's setting, {@code null} means the server's default. */
  public record Policy(Integer traceDays, Integer runDays) {
    static final Policy FOREVER = new Policy(0, 0);
  }

  /** What went, or with a dry run would go, in one project under the policy shown. */
  public record Report(String projectId, int traceDays, int runDays, long traces, long calls, long feedback,
      long objects, long runs, long metricPoints) {}

  private final Database database;
  private final JdbcCalls calls;
  private volatile Policy defaults = Policy.FOREVER;
  private ScheduledExecutorService timer;

  Retention(Database database, JdbcCalls calls) {
    this.database = database;
    this.calls = calls;
  }

  /** Sets the server's default and, if anything is to be deleted at all, deletes every {@code every}. */
  public synchronized void start(Policy serverDefault, Duration every) {
    defaults = serverDefault;
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-retention");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        runNow();
      } catch (RetentionPass.Stopped e) {
        // the server is stopping; the next start resumes where this pass left off
      } catch (RuntimeException e) {
        log.warn("retention: a pass failed, trying again at the next: {}", e.toString());
      }
    }, Math.min(every.toMillis(), 60_000), every.toMillis(), TimeUnit.MILLISECONDS); // not in a restart's busiest minute
  }

  public Policy defaults() {
    return defaults;
  }

  /** A project's own setting: either part null where it follows the server's default. */
  public Policy projectSetting(String projectId) {
    try (Connection c = database.db.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT retention_days, run_retention_days FROM project_settings WHERE project_id = ?")) {
      ps.setString(1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) return new Policy(null, null);
        int traces = rs.getInt(1);
        Integer t = rs.wasNull() ? null : traces;
        int runs = rs.getInt(2);
        return new Policy(t, rs.wasNull() ? null : runs);
      }
    } catch (SQLException e) {
      throw new StoreException("reading a project's retention", e);
    }
  }

  /** Sets a project's own retention; null follows the server's default, 0 keeps forever. */
  public void setProjectSetting(String projectId, Policy setting) {
    database.db.write("setting a project's retention", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO project_settings (project_id, retention_days,"
          + " run_retention_days) VALUES (?, ?, ?) ON CONFLICT (project_id) DO UPDATE SET"
          + " retention_days = excluded.retention_days, run_retention_days = excluded.run_retention_days")) {
        Db.bind(ps, projectId, setting.traceDays(), setting.runDays());
        return ps.executeUpdate();
      }
    });
  }

  /** What applies to the project: its own setting, else the server's default. */
  public Policy effective(String projectId) {
    Policy own = projectSetting(projectId);
    return new Policy(own.traceDays() != null ? own.traceDays() : defaults.traceDays(),
        own.runDays() != null ? own.runDays() : defaults.runDays());
  }

  /** What a pass would delete now, without deleting: in one project, or in all when null. */
  public List<Report> dryRun(String projectId) {
    return pass(projectId == null ? calls.projects() : List.of(projectId), true);
  }

  /** One pass over every project, deleting; returns what went where anything did. */
  public List<Report> runNow() {
    if (!database.postgres) return deleteAndVacuum();
    try (Connection c = database.db.connection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        if (!rs.next() || !rs.getBoolean(1)) return List.of(); // another server is at it
      }
      try {
        return deleteAndVacuum();
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      }
    } catch (SQLException e) {
      throw new StoreException("retention", e);
    }
  }

  private List<Report> deleteAndVacuum() {
    List<Report> reports = pass(calls.projects(), false);
    if (!reports.isEmpty() && !database.postgres) vacuum();
    return reports;
  }

  private List<Report> pass(List<String> projects, boolean dryRun) {
    List<Report> out = new ArrayList<>();
    long now = System.currentTimeMillis() * 1000;
    for (String project : projects) {
      Policy p = effective(project);
      Long traceCutoff = p.traceDays() > 0 ? now - p.traceDays() * DAY_MICROS : null;
      Long runCutoff = p.runDays() > 0 ? now - p.runDays() * DAY_MICROS : null;
      if (traceCutoff == null && runCutoff == null && !dryRun) continue;
      RetentionPass.Tally t;
      try {
        t = new RetentionPass(database.db, database.postgres, project, dryRun).run(traceCutoff, runCutoff);
      } catch (SQLException e) {
        throw new StoreException("retention in " + project, e);
      }
      if (!dryRun) count(t);
      if (dryRun || t.any()) {
        out.add(new Report(project, p.traceDays(), p.runDays(), t.traces, t.calls, t.feedback, t.objects, t.runs, t.metricPoints));
      }
    }
    if (!dryRun && !out.isEmpty()) log.info("retention deleted: {}", out);
    return out;
  }

  private void count(RetentionPass.Tally t) {
    StoreMetrics m = database.db.metrics();
    m.retentionDeleted("traces").increment(t.traces);
    m.retentionDeleted("calls").increment(t.calls);
    m.retentionDeleted("feedback").increment(t.feedback);
    m.retentionDeleted("objects").increment(t.objects);
    m.retentionDeleted("runs").increment(t.runs);
    m.retentionDeleted("metric_points").increment(t.metricPoints);
  }

  /**
   * Gives SQLite's free pages back to the file system, 4 MB per write so that ingest waits no
   * longer than for a chunk of deletes. A database created before incremental vacuum keeps its
   * free pages, which new calls reuse. PostgreSQL's autovacuum makes deleted rows' space reusable.
   */
  private void vacuum() {
    try (Connection c = database.db.connection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA auto_vacuum")) {
        if (!rs.next() || rs.getInt(1) != 2) return;
      }
      for (long free = freePages(s), before = Long.MAX_VALUE; free > 0 && free < before; before = free, free = freePages(s)) {
        if (Thread.currentThread().isInterrupted()) throw new RetentionPass.Stopped(); // the server is stopping
        database.db.write("retention: giving space back", w -> {
          try (Statement v = w.createStatement()) {
            v.execute("PRAGMA incremental_vacuum(1000)");
          }
          return null;
        });
      }
    } catch (SQLException e) {
      throw new StoreException("retention: giving space back", e);
    }
  }

  private static long freePages(Statement s) throws SQLException {
    try (ResultSet rs = s.executeQuery("PRAGMA freelist_count")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }

  @Override
  public synchronized void close() {
    if (timer == null) return;
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS); // a chunk under way finishes; the next pass resumes
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
