package dev.weft.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.migration.Context;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.LoggerFactory;

/**
 * The schema's versions, in order, each applied once by {@link Migrations}. A version never
 * changes once released; a change to the schema is a new version at the end. One SQL text serves
 * SQLite and PostgreSQL; only column types and index keys differ.
 *
 * <p>Databases of the versions before migrations (no history table) start from version 0, so
 * versions 1 to 3 are written to be applied over any of them: they create only what is missing
 * and turn what the earlier versions left into today's schema.
 */
final class Schema {
  private Schema() {}


  /** A step of the schema: {@code apply} gets the connection and whether it is PostgreSQL. */
  private interface Step {
    void apply(Connection c, Statement s, boolean postgres) throws SQLException;
  }

  static List<JavaMigration> migrations() {
    return List.of(
        version(1, "tables", Schema::tables),
        version(2, "op keys", Schema::opKeys),
        version(3, "call indexes", Schema::callIndexes),
        version(4, "retention", Schema::retention),
        version(5, "llm prices", Schema::llmPrices),
        version(6, "run heartbeats", Schema::runHeartbeats),
        version(7, "artifacts", Schema::artifacts),
        version(8, "webhooks", Schema::webhooks));
  }

  /** The highest version this server knows: a database past it was written by a newer server. */
  static final MigrationVersion LATEST = migrations().get(migrations().size() - 1).getVersion();

  /** Version 1: the tables as they were before op keys; an earlier version may have some of them. */
  private static void tables(Connection c, Statement s, boolean postgres) throws SQLException {
    String blob = postgres ? "BYTEA" : "BLOB";
    String[] ddl = {
      "CREATE TABLE IF NOT EXISTS calls ("
          + " project_id TEXT NOT NULL, id TEXT NOT NULL, trace_id TEXT, parent_id TEXT, op_name TEXT,"
          + " display_name TEXT, thread_id TEXT, turn_id TEXT, started_at BIGINT, ended_at BIGINT,"
          + " attributes TEXT, inputs TEXT, output TEXT, exception TEXT, summary TEXT,"
          + " wb_user_id TEXT, wb_run_id TEXT, wb_run_step BIGINT, wb_run_step_end BIGINT,"
          + " deleted_at BIGINT, PRIMARY KEY (project_id, id))",
      "CREATE TABLE IF NOT EXISTS objects (project_id TEXT NOT NULL, object_id TEXT NOT NULL,"
          + " digest TEXT NOT NULL, version_index INTEGER NOT NULL, kind TEXT NOT NULL,"
          + " base_object_class TEXT, leaf_object_class TEXT, val TEXT NOT NULL, created_at BIGINT NOT NULL,"
          + " deleted_at BIGINT, PRIMARY KEY (project_id, object_id, digest))",
      "CREATE TABLE IF NOT EXISTS files (project_id TEXT NOT NULL, digest TEXT NOT NULL,"
          + " content " + blob + " NOT NULL, PRIMARY KEY (project_id, digest))",
      "CREATE TABLE IF NOT EXISTS tables (project_id TEXT NOT NULL, digest TEXT NOT NULL,"
          + " row_digests TEXT NOT NULL, PRIMARY KEY (project_id, digest))",
      "CREATE TABLE IF NOT EXISTS table_rows (project_id TEXT NOT NULL, digest TEXT NOT NULL,"
          + " val TEXT NOT NULL, PRIMARY KEY (project_id, digest))",
      "CREATE TABLE IF NOT EXISTS feedback (project_id TEXT NOT NULL, id TEXT NOT NULL,"
          + " weave_ref TEXT NOT NULL, feedback_type TEXT NOT NULL, payload TEXT NOT NULL, creator TEXT,"
          + " created_at BIGINT NOT NULL, annotation_ref TEXT, runnable_ref TEXT, call_ref TEXT,"
          + " trigger_ref TEXT, PRIMARY KEY (project_id, id))",
      "CREATE TABLE IF NOT EXISTS runs (project_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT,"
          + " state TEXT NOT NULL, config TEXT NOT NULL, tags TEXT NOT NULL, grp TEXT, environment TEXT NOT NULL,"
          + " summary TEXT NOT NULL, started_at BIGINT NOT NULL, ended_at BIGINT, PRIMARY KEY (project_id, id))",
      "CREATE TABLE IF NOT EXISTS run_metrics (project_id TEXT NOT NULL, run_id TEXT NOT NULL,"
          + " step BIGINT NOT NULL, name TEXT NOT NULL, value DOUBLE PRECISION NOT NULL, ts BIGINT NOT NULL, call_id TEXT)",
      "CREATE INDEX IF NOT EXISTS run_metrics_by_run ON run_metrics (project_id, run_id, name, step)",
      "CREATE TABLE IF NOT EXISTS run_tables (project_id TEXT NOT NULL, run_id TEXT NOT NULL, name TEXT NOT NULL,"
          + " columns TEXT NOT NULL, rows TEXT NOT NULL, PRIMARY KEY (project_id, run_id, name))",
    };
    for (String sql : ddl) s.execute(sql);
  }

  /** Version 2: each call's op key (see {@link OpKeys}), computed for the calls already stored. */
  private static void opKeys(Connection c, Statement s, boolean postgres) throws SQLException {
    try (ResultSet rs = c.getMetaData().getColumns(null, c.getSchema(), "calls", "op_key")) {
      if (rs.next()) return; // an earlier version that already had them
    }
    s.execute("ALTER TABLE calls ADD COLUMN op_key BIGINT");
    List<String[]> ops = new ArrayList<>();
    try (ResultSet rs = s.executeQuery("SELECT DISTINCT project_id, op_name FROM calls WHERE op_name IS NOT NULL")) {
      while (rs.next()) ops.add(new String[] {rs.getString(1), rs.getString(2)});
    }
    if (!ops.isEmpty()) {
      LoggerFactory.getLogger(Schema.class).warn(
          "adding op keys to the calls of an earlier version, once (about 4 s per million calls on SQLite)");
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE calls SET op_key = ? WHERE project_id = ? AND op_name = ?")) {
      for (String[] op : ops) {
        Db.bind(ps, OpKeys.of(op[0], op[1]), op[0], op[1]);
        ps.executeUpdate();
      }
    }
  }

  /**
   * Version 3: the call indexes. Indexes are most of the cost of a write, so on SQLite each holds
   * no more than its queries need: a page in the default order (started_at, then id) is an index
   * range plus a sort of equal timestamps, trace and parent ids are unique enough to stand alone,
   * and a whole trace is read in index order. PostgreSQL keeps the full keys: until its statistics
   * catch up with a burst of inserts, its planner may otherwise walk all of a project's calls for
   * one trace.
   */
  private static void callIndexes(Connection c, Statement s, boolean postgres) throws SQLException {
    String project = postgres ? "project_id, " : "", tie = postgres ? ", id" : "";
    String[] earlier = {"calls_by_op", "calls_start_id", "calls_op_start_id", "calls_trace_start_id", "calls_parent_start_id"};
    try (ResultSet rs = c.getMetaData().getIndexInfo(null, c.getSchema(), "calls", false, false)) {
      while (rs.next()) {
        if ("calls_start_id".equals(rs.getString("INDEX_NAME"))) {
          LoggerFactory.getLogger(Schema.class).warn(
              "rebuilding the call indexes of an earlier version, once (about 2.5 s per million calls on SQLite)");
          break;
        }
      }
    }
    // Dropped first so that the new ones reuse their pages.
    for (String index : earlier) s.execute("DROP INDEX IF EXISTS " + index);
    s.execute("CREATE INDEX IF NOT EXISTS calls_by_start ON calls (project_id, started_at" + tie + ")");
    s.execute("CREATE INDEX IF NOT EXISTS calls_by_op_key ON calls (op_key, started_at" + tie + ")");
    s.execute("CREATE INDEX IF NOT EXISTS calls_by_trace ON calls (" + project + "trace_id, started_at, id)");
    s.execute("CREATE INDEX IF NOT EXISTS calls_roots ON calls (project_id, started_at" + tie + ") WHERE parent_id IS NULL");
    s.execute("CREATE INDEX IF NOT EXISTS calls_by_parent ON calls (" + project + "parent_id, started_at" + tie + ")"
        + " WHERE parent_id IS NOT NULL");
  }

  /**
   * Version 4: each project's retention (null: the server's default), and feedback found by the
   * call it is about, so that deleting a trace finds its feedback without reading all of it.
   */
  private static void retention(Connection c, Statement s, boolean postgres) throws SQLException {
    s.execute("CREATE TABLE project_settings (project_id TEXT NOT NULL PRIMARY KEY,"
        + " retention_days INTEGER, run_retention_days INTEGER)");
    s.execute("CREATE INDEX feedback_by_ref ON feedback (project_id, weave_ref)");
    s.execute("CREATE INDEX runs_by_start ON runs (project_id, started_at)");
  }

  /**
   * Version 5: each project's own LLM token prices (Weave's cost routes; the built-in ones ship
   * with the server), and the roots of each run, which a run's tokens and cost are summed from.
   */
  private static void llmPrices(Connection c, Statement s, boolean postgres) throws SQLException {
    s.execute("CREATE TABLE llm_token_prices (project_id TEXT NOT NULL, id TEXT NOT NULL, llm_id TEXT NOT NULL,"
        + " provider_id TEXT NOT NULL, effective_date BIGINT NOT NULL, prompt_token_cost DOUBLE PRECISION NOT NULL,"
        + " completion_token_cost DOUBLE PRECISION NOT NULL, cache_read_input_token_cost DOUBLE PRECISION,"
        + " cache_creation_input_token_cost DOUBLE PRECISION, prompt_token_cost_unit TEXT NOT NULL,"
        + " completion_token_cost_unit TEXT NOT NULL, created_at BIGINT NOT NULL, created_by TEXT,"
        + " PRIMARY KEY (project_id, id))");
    s.execute("CREATE INDEX calls_run_roots ON calls (project_id, wb_run_id) WHERE parent_id IS NULL");
  }

  /**
   * Version 6: when each run was last heard from, so a run whose agent stopped sending (killed,
   * machine lost) becomes {@code crashed}; runs stored before it count as heard from at their start.
   */
  private static void runHeartbeats(Connection c, Statement s, boolean postgres) throws SQLException {
    s.execute("ALTER TABLE runs ADD COLUMN heartbeat_at BIGINT");
    s.execute("UPDATE runs SET heartbeat_at = COALESCE(ended_at, started_at)");
    s.execute("CREATE INDEX runs_running ON runs (state, heartbeat_at)");
  }

  /**
   * Version 7: artifacts (see {@link JdbcArtifacts}): versions by content digest, their files
   * (which blobs each references, for retention), aliases, the runs that logged and used each
   * version, and each artifact's retention. The files' bytes are in the blob directory.
   */
  private static void artifacts(Connection c, Statement s, boolean postgres) throws SQLException {
    s.execute("CREATE TABLE artifact_versions (project_id TEXT NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,"
        + " version_index INTEGER NOT NULL, type TEXT NOT NULL, metadata TEXT NOT NULL, size BIGINT NOT NULL,"
        + " file_count INTEGER NOT NULL, created_at BIGINT NOT NULL, created_by_run TEXT,"
        + " PRIMARY KEY (project_id, name, digest), UNIQUE (project_id, name, version_index))");
    s.execute("CREATE TABLE artifact_files (project_id TEXT NOT NULL, name TEXT NOT NULL, version_digest TEXT NOT NULL,"
        + " path TEXT NOT NULL, digest TEXT NOT NULL, size BIGINT NOT NULL,"
        + " PRIMARY KEY (project_id, name, version_digest, path))");
    s.execute("CREATE INDEX artifact_files_by_blob ON artifact_files (digest)");
    s.execute("CREATE TABLE artifact_aliases (project_id TEXT NOT NULL, name TEXT NOT NULL, alias TEXT NOT NULL,"
        + " digest TEXT NOT NULL, PRIMARY KEY (project_id, name, alias))");
    s.execute("CREATE TABLE artifact_runs (project_id TEXT NOT NULL, name TEXT NOT NULL, digest TEXT NOT NULL,"
        + " run_id TEXT NOT NULL, role TEXT NOT NULL, at BIGINT NOT NULL,"
        + " PRIMARY KEY (project_id, name, digest, run_id, role))");
    s.execute("CREATE INDEX artifact_runs_by_run ON artifact_runs (project_id, run_id)");
    s.execute("CREATE TABLE artifact_settings (project_id TEXT NOT NULL, name TEXT NOT NULL, keep_last INTEGER,"
        + " PRIMARY KEY (project_id, name))");
  }

  /**
   * Version 8: webhooks set through the API (those given to {@code serve} live in its options),
   * and every delivery: an outbox that any server sends from, so none is lost with a server, and
   * the log the UI shows.
   */
  private static void webhooks(Connection c, Statement s, boolean postgres) throws SQLException {
    s.execute("CREATE TABLE webhooks (id TEXT NOT NULL PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL,"
        + " project_id TEXT, secret TEXT, created_at BIGINT NOT NULL)");
    s.execute("CREATE TABLE webhook_deliveries (id TEXT NOT NULL PRIMARY KEY, webhook_id TEXT NOT NULL, url TEXT NOT NULL,"
        + " event TEXT NOT NULL, project_id TEXT NOT NULL, run_id TEXT NOT NULL, payload TEXT NOT NULL, state TEXT NOT NULL,"
        + " attempts INTEGER NOT NULL, next_at BIGINT NOT NULL, last_status INTEGER, last_error TEXT,"
        + " created_at BIGINT NOT NULL, delivered_at BIGINT)");
    s.execute("CREATE INDEX webhook_deliveries_due ON webhook_deliveries (state, next_at)");
    s.execute("CREATE INDEX webhook_deliveries_by_run ON webhook_deliveries (project_id, run_id, webhook_id, event)");
    s.execute("CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (created_at)");
  }

  private static JavaMigration version(int version, String description, Step step) {
    return new JavaMigration() {
      @Override
      public MigrationVersion getVersion() {
        return MigrationVersion.fromVersion(String.valueOf(version));
      }

      @Override
      public String getDescription() {
        return description;
      }

      @Override
      public Integer getChecksum() {
        return null;
      }

      @Override
      public boolean canExecuteInTransaction() {
        return true;
      }

      @Override
      public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        boolean postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
        try (Statement s = c.createStatement()) {
          step.apply(c, s, postgres);
        }
      }
    };
  }
}
