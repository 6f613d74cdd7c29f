package dev.weft.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables and indexes of calls, objects and runs, created when the store opens, and the
 * upgrades that bring an earlier version's database to them. One SQL text serves SQLite and
 * PostgreSQL; only the index keys differ (see {@link #calls}).
 */
final class Schema {
  private Schema() {}

  /** The calls table, then the indexes of earlier versions to drop and the indexes to create. */
  private static String[] calls(boolean postgres) {
    // Indexes are most of the cost of a write, so on SQLite each holds no more than its queries
    // need: a page in the default order (started_at, then id) is an index range plus a sort of
    // equal timestamps, trace and parent ids are unique enough to stand alone, and a whole trace
    // is read in index order. PostgreSQL keeps the full keys: until its statistics catch up with
    // a burst of inserts, its planner may otherwise walk all of a project's calls for one trace.
    String project = postgres ? "project_id, " : "", tie = postgres ? ", id" : "";
    return new String[] {
      "CREATE TABLE IF NOT EXISTS calls ("
          + " project_id TEXT NOT NULL, id TEXT NOT NULL, trace_id TEXT, parent_id TEXT, op_name TEXT,"
          + " display_name TEXT, thread_id TEXT, turn_id TEXT, started_at BIGINT, ended_at BIGINT,"
          + " attributes TEXT, inputs TEXT, output TEXT, exception TEXT, summary TEXT,"
          + " wb_user_id TEXT, wb_run_id TEXT, wb_run_step BIGINT, wb_run_step_end BIGINT,"
          + " deleted_at BIGINT, op_key BIGINT, PRIMARY KEY (project_id, id))",
      // The indexes of earlier versions, dropped first so that the new ones reuse their pages.
      "DROP INDEX IF EXISTS calls_by_op",
      "DROP INDEX IF EXISTS calls_start_id",
      "DROP INDEX IF EXISTS calls_op_start_id",
      "DROP INDEX IF EXISTS calls_trace_start_id",
      "DROP INDEX IF EXISTS calls_parent_start_id",
      "CREATE INDEX IF NOT EXISTS calls_by_start ON calls (project_id, started_at" + tie + ")",
      "CREATE INDEX IF NOT EXISTS calls_by_op_key ON calls (op_key, started_at" + tie + ")",
      "CREATE INDEX IF NOT EXISTS calls_by_trace ON calls (" + project + "trace_id, started_at, id)",
      "CREATE INDEX IF NOT EXISTS calls_roots ON calls (project_id, started_at" + tie + ") WHERE parent_id IS NULL",
      "CREATE INDEX IF NOT EXISTS calls_by_parent ON calls (" + project + "parent_id, started_at" + tie + ")"
          + " WHERE parent_id IS NOT NULL",
    };
  }

  /** Creates what is missing and upgrades what an earlier version left, in one transaction. */
  static void create(Db db, boolean postgres) {
    db.transaction("creating the schema", c -> {
      try (Statement s = c.createStatement()) {
        String earlier = postgres ? "SELECT 1 FROM pg_indexes WHERE indexname = 'calls_start_id'"
            : "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'calls_start_id'";
        try (ResultSet rs = s.executeQuery(earlier)) {
          if (rs.next()) {
            org.slf4j.LoggerFactory.getLogger(Schema.class).warn(
                "rebuilding the call indexes of an earlier version, once (about 2.5 s per million calls on SQLite)");
          }
        }
        String[] calls = calls(postgres);
        s.execute(calls[0]);
        addOpKeys(c, s);
        for (int i = 1; i < calls.length; i++) s.execute(calls[i]);
        for (String ddl : JdbcObjects.schema(postgres)) s.execute(ddl);
        for (String ddl : JdbcRuns.SCHEMA) s.execute(ddl);
      }
      return null;
    });
  }

  /** Gives the calls of an earlier version, stored without op keys, theirs: one update per op. */
  private static void addOpKeys(Connection c, Statement s) throws SQLException {
    try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "calls", "op_key")) {
      if (rs.next()) return;
    }
    org.slf4j.LoggerFactory.getLogger(Schema.class).warn(
        "adding op keys to the calls of an earlier version, once (about 4 s per million calls on SQLite)");
    s.execute("ALTER TABLE calls ADD COLUMN op_key BIGINT");
    List<String[]> ops = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT DISTINCT project_id, op_name FROM calls WHERE op_name IS NOT NULL")) {
      while (rs.next()) ops.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET op_key = ? WHERE project_id = ? AND op_name = ?")) {
      for (String[] op : ops) {
        Db.bind(ps, OpKeys.of(op[0], op[1]), op[0], op[1]);
        ps.executeUpdate();
      }
    }
  }
}
