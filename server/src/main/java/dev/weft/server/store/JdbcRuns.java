package dev.weft.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link RunStore} on the same SQL database as the calls. */
final class JdbcRuns implements RunStore {
  private static final String RUN_COLUMNS = "project_id, id, name, state, config, tags, grp, environment,"
      + " summary, started_at, ended_at";

  private final Db db;
  private final ObjectMapper json = new ObjectMapper();

  JdbcRuns(Db db) {
    this.db = db;
  }

  @Override
  public Started startRun(Run r, Resume resume) {
    return db.transaction("starting a run", c -> {
      Run known = null;
      long now = System.currentTimeMillis() * 1000;
      try (PreparedStatement ps = c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM runs WHERE project_id = ? AND id = ?")) {
        ps.setString(1, r.projectId());
        ps.setString(2, r.id());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) known = run(rs);
        }
      }
      if (known == null) {
        if (resume == Resume.MUST) return new Started(Started.How.MISSING, -1);
        // DO NOTHING: another server may create the same run meanwhile; its start then wins.
        int created = update(c, "INSERT INTO runs (" + RUN_COLUMNS + ", heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (project_id, id) DO NOTHING",
            r.projectId(), r.id(), r.name(), r.state(), r.config(), r.tags(), r.group(), r.environment(),
            r.summary(), r.startedAt(), r.endedAt(), now);
        return new Started(created > 0 ? Started.How.CREATED : Started.How.EXISTS, -1);
      }
      if (known.startedAt() == r.startedAt()) { // the same session: its config or tags changed
        update(c, "UPDATE runs SET name = ?, config = ?, tags = ?, grp = ?, environment = ?, heartbeat_at = ?"
            + " WHERE project_id = ? AND id = ?", r.name(), r.config(), r.tags(), r.group(), r.environment(), now,
            r.projectId(), r.id());
        return new Started(Started.How.UPDATED, -1);
      }
      if (resume == Resume.NEVER) return new Started(Started.How.EXISTS, -1);
      ObjectNode config = (ObjectNode) json.readTree(known.config());
      config.setAll((ObjectNode) json.readTree(r.config()));
      java.util.LinkedHashSet<String> tags = new java.util.LinkedHashSet<>();
      for (String t : List.of(known.tags(), r.tags())) json.readTree(t).forEach(n -> tags.add(n.asText()));
      update(c, "UPDATE runs SET state = 'running', ended_at = NULL, config = ?, tags = ?, grp = ?, environment = ?,"
          + " heartbeat_at = ? WHERE project_id = ? AND id = ?", config.toString(), json.writeValueAsString(tags),
          r.group() != null ? r.group() : known.group(), r.environment(), now, r.projectId(), r.id());
      return new Started(Started.How.RESUMED, lastStep(c, r.projectId(), r.id(), null));
    });
  }

  @Override
  public boolean heartbeat(String projectId, String id) {
    return update(HEARD_FROM, System.currentTimeMillis() * 1000, projectId, id) > 0;
  }

  /** A crashed run heard from again is running: its agent was cut off, not gone. */
  private static final String HEARD_FROM = "UPDATE runs SET heartbeat_at = ?,"
      + " ended_at = CASE WHEN state = 'crashed' THEN NULL ELSE ended_at END,"
      + " state = CASE WHEN state = 'crashed' THEN 'running' ELSE state END WHERE project_id = ? AND id = ?";

  @Override
  public List<Run> markCrashed(long heardBeforeMicros) {
    // RETURNING (SQLite 3.35+, PostgreSQL): with several servers looking, each run is marked, and told of, once.
    return db.write("marking crashed runs", c -> {
      List<Run> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET state = 'crashed', ended_at = heartbeat_at"
          + " WHERE state = 'running' AND heartbeat_at < ? RETURNING " + RUN_COLUMNS)) {
        ps.setLong(1, heardBeforeMicros);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) out.add(run(rs));
        }
      }
      return out;
    });
  }

  @Override
  public boolean finishRun(String projectId, String id, String state, long endedAt) {
    return update("UPDATE runs SET state = ?, ended_at = ? WHERE project_id = ? AND id = ?",
        state, endedAt, projectId, id) > 0;
  }

  @Override
  public boolean mergeSummary(String projectId, String id, Map<String, String> values) {
    return db.transaction("updating a run summary", c -> {
      String current;
      try (PreparedStatement ps = c.prepareStatement("SELECT summary FROM runs WHERE project_id = ? AND id = ?")) {
        ps.setString(1, projectId);
        ps.setString(2, id);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) return false;
          current = rs.getString(1);
        }
      }
      ObjectNode summary = (ObjectNode) json.readTree(current);
      for (Map.Entry<String, String> e : values.entrySet()) summary.set(e.getKey(), json.readTree(e.getValue()));
      try (PreparedStatement ps = c.prepareStatement("UPDATE runs SET summary = ? WHERE project_id = ? AND id = ?")) {
        ps.setString(1, summary.toString());
        ps.setString(2, projectId);
        ps.setString(3, id);
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public Logged appendPoints(String projectId, String runId, List<Point> points) {
    return db.transaction("appending metrics", c -> {
      if (update(c, HEARD_FROM, System.currentTimeMillis() * 1000, projectId, runId) == 0) return null;
      Map<String, Long> last = new java.util.HashMap<>();
      List<String> refused = new ArrayList<>();
      int stored = 0, merged = 0;
      try (PreparedStatement insert = c.prepareStatement(
          "INSERT INTO run_metrics (project_id, run_id, step, name, value, ts, call_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        for (Point p : points) {
          long lastStep = last.containsKey(p.name()) ? last.get(p.name()) : lastStep(c, projectId, runId, p.name());
          if (p.step() < lastStep) {
            refused.add(p.name() + " at step " + p.step() + ": steps only move forward, its last is " + lastStep);
            continue;
          }
          if (p.step() == lastStep && update(c, "UPDATE run_metrics SET value = ?, ts = ?, call_id = ? WHERE project_id = ?"
              + " AND run_id = ? AND name = ? AND step = ?", p.value(), p.timestamp(), p.callId(), projectId, runId,
              p.name(), p.step()) > 0) {
            merged++;
            continue;
          }
          insert.setString(1, projectId);
          insert.setString(2, runId);
          insert.setLong(3, p.step());
          insert.setString(4, p.name());
          insert.setDouble(5, p.value());
          insert.setLong(6, p.timestamp());
          insert.setString(7, p.callId());
          insert.addBatch();
          stored++;
          last.put(p.name(), p.step());
        }
        if (stored > 0) insert.executeBatch();
      }
      return new Logged(stored, merged, refused);
    });
  }

  @Override
  public long lastStep(String projectId, String runId) {
    try (Connection c = db.connection()) {
      return lastStep(c, projectId, runId, null);
    } catch (SQLException e) {
      throw new StoreException("reading a run's last step", e);
    }
  }

  /** The highest step of a metric of a run (of any, when {@code name} is null), or -1. */
  private static long lastStep(Connection c, String projectId, String runId, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT MAX(step) FROM run_metrics WHERE project_id = ? AND run_id = ?"
        + (name == null ? "" : " AND name = ?"))) {
      ps.setString(1, projectId);
      ps.setString(2, runId);
      if (name != null) ps.setString(3, name);
      try (ResultSet rs = ps.executeQuery()) {
        long max = rs.next() ? rs.getLong(1) : -1;
        return rs.wasNull() ? -1 : max;
      }
    }
  }

  private static boolean exists(Connection c, String projectId, String runId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM runs WHERE project_id = ? AND id = ?")) {
      ps.setString(1, projectId);
      ps.setString(2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public boolean putTable(String projectId, String runId, Table t) {
    try (Connection c = db.connection()) {
      if (!exists(c, projectId, runId)) return false;
    } catch (SQLException e) {
      throw new StoreException("storing a run table", e);
    }
    update("INSERT INTO run_tables (project_id, run_id, name, columns, rows) VALUES (?, ?, ?, ?, ?)"
        + " ON CONFLICT (project_id, run_id, name) DO UPDATE SET columns = excluded.columns, rows = excluded.rows",
        projectId, runId, t.name(), t.columns(), t.rows());
    return true;
  }

  @Override
  public Optional<Run> readRun(String projectId, String id) {
    return runs("SELECT " + RUN_COLUMNS + " FROM runs WHERE project_id = ? AND id = ?", projectId, id)
        .stream().findFirst();
  }

  @Override
  public List<Run> queryRuns(String projectId, Long limit, long offset) {
    return runs("SELECT " + RUN_COLUMNS + " FROM runs WHERE project_id = ? ORDER BY started_at DESC, id DESC"
        + " LIMIT " + (limit == null ? Long.MAX_VALUE : limit) + " OFFSET " + offset, projectId);
  }

  private List<Run> runs(String sql, String... args) {
    List<Run> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setString(i + 1, args[i]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(run(rs));
      }
    } catch (SQLException e) {
      throw new StoreException("reading runs", e);
    }
    return out;
  }

  /** A run from a row of {@link #RUN_COLUMNS}. */
  private static Run run(ResultSet rs) throws SQLException {
    long ended = rs.getLong(11);
    Long endedAt = rs.wasNull() ? null : ended; // wasNull is of the last column read: ask before the next
    return new Run(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10), endedAt);
  }

  @Override
  public List<Point> history(String projectId, String runId, List<String> names) {
    StringBuilder sql = new StringBuilder("SELECT step, ts, name, value, call_id FROM run_metrics"
        + " WHERE project_id = ? AND run_id = ?");
    List<String> args = new ArrayList<>(List.of(projectId, runId));
    if (names != null) {
      sql.append(" AND name IN (").append(String.join(", ", java.util.Collections.nCopies(names.size(), "?"))).append(")");
      args.addAll(names);
    }
    sql.append(" ORDER BY step, name, ts");
    List<Point> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      for (int i = 0; i < args.size(); i++) ps.setString(i + 1, args.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Point(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getDouble(4), rs.getString(5)));
      }
    } catch (SQLException e) {
      throw new StoreException("reading metrics", e);
    }
    return out;
  }

  @Override
  public List<Table> tables(String projectId, String runId) {
    List<Table> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT name, columns, rows FROM run_tables WHERE project_id = ? AND run_id = ? ORDER BY name")) {
      ps.setString(1, projectId);
      ps.setString(2, runId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.add(new Table(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw new StoreException("reading run tables", e);
    }
    return out;
  }

  @Override
  public Map<String, Map<String, Double>> latestMetrics(String projectId, List<String> runIds) {
    Map<String, Map<String, Double>> out = new LinkedHashMap<>();
    if (runIds.isEmpty()) return out;
    String marks = String.join(", ", java.util.Collections.nCopies(runIds.size(), "?"));
    String sql = "SELECT m.run_id, m.name, m.value FROM run_metrics m WHERE m.project_id = ? AND m.run_id IN (" + marks + ")"
        + " AND m.step = (SELECT MAX(step) FROM run_metrics x WHERE x.project_id = m.project_id"
        + " AND x.run_id = m.run_id AND x.name = m.name) ORDER BY m.run_id, m.name, m.ts";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, projectId);
      for (int i = 0; i < runIds.size(); i++) ps.setString(i + 2, runIds.get(i));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getDouble(3));
      }
    } catch (SQLException e) {
      throw new StoreException("reading latest metrics", e);
    }
    return out;
  }

  private int update(String sql, Object... args) {
    return db.write("writing a run", c -> update(c, sql, args));
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      return ps.executeUpdate();
    }
  }
}
