package dev.weft.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.function.Predicate;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The store on SQLite (embedded, one file under the data directory) or PostgreSQL (shared by
 * several servers). One SQL text serves both — upserts with {@code ON CONFLICT}, LIKE only on
 * lower() and plain ASCII terms (elsewhere its case rules differ), {@code NULLS LAST} ordering —
 * and only the index keys differ (see {@link #schema}).
 */
public final class JdbcStore implements Store {
  private static String[] schema(boolean postgres) {
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

  private static final String COLUMNS = "project_id, id, trace_id, parent_id, op_name, display_name,"
      + " thread_id, turn_id, started_at, ended_at, attributes, inputs, output, exception, summary,"
      + " wb_user_id, wb_run_id, wb_run_step, wb_run_step_end, deleted_at";
  private static final String UPSERT_START = "INSERT INTO calls (project_id, id, trace_id, parent_id,"
      + " op_name, display_name, thread_id, turn_id, started_at, attributes, inputs, wb_user_id,"
      + " wb_run_id, wb_run_step, op_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (project_id, id) DO UPDATE SET trace_id = excluded.trace_id,"
      + " parent_id = excluded.parent_id, op_name = excluded.op_name, op_key = excluded.op_key,"
      + " display_name = COALESCE(calls.display_name, excluded.display_name),"
      + " thread_id = excluded.thread_id, turn_id = excluded.turn_id, started_at = excluded.started_at,"
      + " attributes = excluded.attributes, inputs = excluded.inputs, wb_user_id = excluded.wb_user_id,"
      + " wb_run_id = excluded.wb_run_id, wb_run_step = excluded.wb_run_step";
  private static final String UPSERT_END = "INSERT INTO calls (project_id, id, ended_at, output,"
      + " exception, summary, wb_run_step_end, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (project_id, id) DO UPDATE SET ended_at = excluded.ended_at,"
      + " output = excluded.output, exception = excluded.exception, summary = excluded.summary,"
      + " wb_run_step_end = excluded.wb_run_step_end,"
      + " display_name = COALESCE(excluded.display_name, calls.display_name)";
  private static final String INSERT_COMPLETE = "INSERT INTO calls (project_id, id, trace_id, parent_id,"
      + " op_name, display_name, thread_id, turn_id, started_at, attributes, inputs, wb_user_id,"
      + " wb_run_id, wb_run_step, ended_at, output, exception, summary, wb_run_step_end, op_key)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
      + " ON CONFLICT (project_id, id) DO UPDATE SET trace_id = excluded.trace_id,"
      + " parent_id = excluded.parent_id, op_name = excluded.op_name, op_key = excluded.op_key,"
      + " display_name = COALESCE(excluded.display_name, calls.display_name),"
      + " thread_id = excluded.thread_id, turn_id = excluded.turn_id, started_at = excluded.started_at,"
      + " attributes = excluded.attributes, inputs = excluded.inputs, wb_user_id = excluded.wb_user_id,"
      + " wb_run_id = excluded.wb_run_id, wb_run_step = excluded.wb_run_step, ended_at = excluded.ended_at,"
      + " output = excluded.output, exception = excluded.exception, summary = excluded.summary,"
      + " wb_run_step_end = excluded.wb_run_step_end";
  private static final java.util.Set<String> NEVER_NULL = java.util.Set.of("id", "started_at", "project_id", "op_name", "trace_id");
  private static final String LIVE = " started_at IS NOT NULL AND deleted_at IS NULL";

  private final HikariDataSource pool;
  private final HikariDataSource writePool; // SQLite's one writer connection; the pool on PostgreSQL
  private final Db db;
  private final String description;
  private final boolean postgres;
  private final JdbcObjects objects;
  private final JdbcRuns runs;

  private JdbcStore(HikariDataSource pool, HikariDataSource writePool, String description, boolean postgres) {
    this.pool = pool;
    this.writePool = writePool;
    this.description = description;
    this.postgres = postgres;
    this.db = new Db(pool, writePool, postgres);
    this.objects = new JdbcObjects(db);
    this.runs = new JdbcRuns(db);
  }

  /** Runs, their metrics history, summaries and tables, in the same database. */
  public RunStore runs() {
    return runs;
  }

  /** Objects, files, tables and feedback, in the same database. */
  public ObjectStore objects() {
    return objects;
  }

  /** SQLite in {@code dataDir/weft.db}, or PostgreSQL when {@code jdbcUrl} is given. */
  public static JdbcStore open(String jdbcUrl, Path dataDir) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("weft-store");
    hc.setAutoCommit(true);
    HikariConfig writer = null;
    String description;
    if (jdbcUrl == null || jdbcUrl.isBlank()) {
      try {
        Files.createDirectories(dataDir);
      } catch (java.io.IOException e) {
        throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
      }
      SQLiteConfig sqlite = new SQLiteConfig();
      sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
      sqlite.setSynchronous(SQLiteConfig.SynchronousMode.FULL); // a commit survives kill -9 and power loss
      sqlite.setBusyTimeout(30_000);
      // Reads go through the OS page cache (memory-mapped) rather than copies, and each
      // connection keeps 32 MB of pages: a large trace or a page of a big table stays in memory.
      sqlite.setPragma(SQLiteConfig.Pragma.MMAP_SIZE, String.valueOf(1L << 30));
      sqlite.setCacheSize(-32 * 1024);
      // Writers take the lock when they begin, so two read-then-write transactions never
      // deadlock into SQLITE_BUSY; they queue for up to the busy timeout instead.
      sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
      // A pooled connection serves one thread at a time, so SQLite's own lock around every call
      // (two per column read) is not needed.
      sqlite.setOpenMode(org.sqlite.SQLiteOpenMode.NOMUTEX);
      SQLiteDataSource ds = new SQLiteDataSource(sqlite);
      Path file = dataDir.resolve("weft.db").toAbsolutePath();
      ds.setUrl("jdbc:sqlite:" + file);
      hc.setDataSource(ds);
      // Copy the WAL into the database every 40 MB rather than every 4 MB: under a stream of
      // writes, fewer rounds of copying the same hot index pages.
      hc.setConnectionInitSql("PRAGMA wal_autocheckpoint=10000");
      hc.setMaximumPoolSize(4);
      // Writes take turns anyway, and always on one connection keep its page cache: SQLite drops
      // a connection's cache whenever another connection has written since its last transaction.
      writer = new HikariConfig();
      hc.copyStateTo(writer);
      writer.setPoolName("weft-store-writer");
      writer.setMaximumPoolSize(1);
      description = "SQLite " + file;
    } else if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      hc.setJdbcUrl(jdbcUrl);
      hc.setMaximumPoolSize(8);
      // The driver sends a batch of inserts as multi-row statements: a batch of 1,000 calls is a
      // few round trips, not 1,000 (about 15% faster ingest). A setting in the URL wins.
      if (!jdbcUrl.contains("reWriteBatchedInserts")) hc.addDataSourceProperty("reWriteBatchedInserts", "true");
      description = "PostgreSQL " + jdbcUrl.replaceAll("password=[^&]*", "password=***");
    } else {
      throw new IllegalArgumentException("--db must be a jdbc:postgresql:// URL, got " + jdbcUrl);
    }
    HikariDataSource pool = new HikariDataSource(hc);
    HikariDataSource writePool = writer == null ? pool : new HikariDataSource(writer);
    JdbcStore store = new JdbcStore(pool, writePool, description, writer == null);
    try {
      store.createSchema();
    } catch (RuntimeException e) {
      store.close(); // its connections and SQLite's writer thread
      throw e;
    }
    return store;
  }

  public String description() {
    return description;
  }

  private void createSchema() {
    db.transaction("creating the schema", c -> {
      try (Statement s = c.createStatement()) {
        String earlier = postgres ? "SELECT 1 FROM pg_indexes WHERE indexname = 'calls_start_id'"
            : "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'calls_start_id'";
        try (ResultSet rs = s.executeQuery(earlier)) {
          if (rs.next()) {
            org.slf4j.LoggerFactory.getLogger(JdbcStore.class).warn(
                "rebuilding the call indexes of an earlier version, once (about 2.5 s per million calls on SQLite)");
          }
        }
        String[] calls = schema(postgres);
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
    org.slf4j.LoggerFactory.getLogger(JdbcStore.class).warn(
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

  @Override
  public void write(List<CallWrite> writes) {
    if (writes.isEmpty()) return;
    // Rows are planned before the writers' turn, so only binding and SQLite's work take it.
    List<Object[]> starts = new ArrayList<>(), completes = new ArrayList<>(), ends = new ArrayList<>();
    plan(writes, starts, completes, ends);
    db.transaction("writing calls", c -> {
      execute(c, UPSERT_START, starts);
      execute(c, INSERT_COMPLETE, completes);
      execute(c, UPSERT_END, ends);
      return null;
    });
  }

  /** A start and an end of one call in the same batch (the usual case) become one row insert. */
  private static void plan(List<CallWrite> writes, List<Object[]> starts, List<Object[]> completes, List<Object[]> ends) {
    java.util.Map<String, CallWrite.End> endsById = new java.util.HashMap<>();
    for (CallWrite w : writes) {
      if (w instanceof CallWrite.End e) endsById.put(e.projectId() + "\n" + e.id(), e);
    }
    for (CallWrite w : writes) {
      if (w instanceof CallWrite.Start s) {
        CallWrite.End e = endsById.remove(s.projectId() + "\n" + s.id());
        if (e != null) {
          completes.add(new Object[] {s.projectId(), s.id(), s.traceId(), s.parentId(), s.opName(),
              e.displayName() != null ? e.displayName() : s.displayName(), s.threadId(), s.turnId(),
              s.startedAt(), s.attributes(), s.inputs(), s.wbUserId(), s.wbRunId(), s.wbRunStep(),
              e.endedAt(), e.output(), e.exception(), e.summary(), e.wbRunStepEnd(),
              OpKeys.of(s.projectId(), s.opName())});
        } else {
          starts.add(new Object[] {s.projectId(), s.id(), s.traceId(), s.parentId(), s.opName(),
              s.displayName(), s.threadId(), s.turnId(), s.startedAt(), s.attributes(), s.inputs(),
              s.wbUserId(), s.wbRunId(), s.wbRunStep(), OpKeys.of(s.projectId(), s.opName())});
        }
      }
    }
    for (CallWrite w : writes) {
      // Ends not merged into a start above; a repeated end is written once, as the last one.
      if (w instanceof CallWrite.End e && endsById.get(e.projectId() + "\n" + e.id()) == e) {
        ends.add(new Object[] {e.projectId(), e.id(), e.endedAt(), e.output(), e.exception(), e.summary(),
            e.wbRunStepEnd(), e.displayName()});
      }
    }
  }

  private static void execute(Connection c, String sql, List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) return;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Object[] row : rows) {
        Db.bind(ps, row);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  @Override
  public Optional<StoredCall> read(String projectId, String id) {
    List<StoredCall> found = new ArrayList<>();
    query("SELECT " + COLUMNS + " FROM calls WHERE project_id = ? AND id = ? AND" + LIVE,
        List.of(projectId, id), found::add);
    return found.stream().findFirst();
  }

  @Override
  public void scan(CallFilter filter, List<Order> order, Long limit, long offset, Predicate<StoredCall> visitor) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM calls WHERE ");
    where(filter, sql, args);
    sql.append(" ORDER BY ");
    boolean idSeen = false;
    boolean lastDescending = false;
    for (Order o : order) {
      if (!SORTABLE.contains(o.column())) throw new IllegalArgumentException("not sortable: " + o.column());
      sql.append(o.column()).append(o.descending() ? " DESC" : " ASC");
      // Live calls always have these; leaving out NULLS LAST lets an index give the order.
      sql.append(NEVER_NULL.contains(o.column()) ? ", " : " NULLS LAST, ");
      idSeen |= o.column().equals("id");
      lastDescending = o.descending();
    }
    if (!idSeen) sql.append("id").append(lastDescending ? " DESC" : " ASC").append(", ");
    sql.setLength(sql.length() - 2);
    if (limit != null || offset > 0) {
      // Literals, not parameters: PostgreSQL plans a prepared statement with an unknown LIMIT
      // for many rows, and sorts instead of reading the index backwards.
      sql.append(" LIMIT ").append(limit == null ? Long.MAX_VALUE : Math.max(0, limit))
          .append(" OFFSET ").append(Math.max(0, offset));
    }
    query(sql.toString(), args, visitor);
  }

  // A skip scan over the (project_id, …) index: one index probe per project, not a pass over
  // every call, so listing projects stays instant with millions of calls stored.
  private static final String PROJECTS = "WITH RECURSIVE p(id) AS ("
      + " SELECT MIN(project_id) FROM calls"
      + " UNION ALL SELECT (SELECT MIN(project_id) FROM calls WHERE project_id > p.id) FROM p WHERE p.id IS NOT NULL)"
      + " SELECT id FROM p WHERE id IS NOT NULL UNION SELECT DISTINCT project_id FROM runs ORDER BY 1";

  @Override
  public List<String> projects() {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery(PROJECTS)) {
      while (rs.next()) out.add(rs.getString(1));
      return out;
    } catch (SQLException e) {
      throw new StoreException("listing projects", e);
    }
  }

  @Override
  public long count(CallFilter filter) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM calls WHERE ");
    where(filter, sql, args);
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      Db.bind(ps, args.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new StoreException("counting calls", e);
    }
  }

  private static void where(CallFilter f, StringBuilder sql, List<Object> args) {
    sql.append("project_id = ? AND").append(LIVE);
    args.add(f.projectId());
    if (f.opNames() != null) {
      StringJoiner any = new StringJoiner(" OR ", " AND (", ")");
      for (String op : f.opNames()) {
        // The key finds the op's calls in the index; the name check sorts out any other op
        // that shares its key.
        args.add(OpKeys.of(f.projectId(), op));
        if (op.endsWith(":*")) {
          String prefix = op.substring(0, op.length() - 1);
          any.add("(op_key = ? AND substr(op_name, 1, ?) = ?)");
          args.add(prefix.length());
          args.add(prefix);
        } else {
          any.add("(op_key = ? AND op_name = ?)");
          args.add(op);
        }
      }
      sql.append(any);
    }
    in(sql, args, "parent_id", f.parentIds());
    in(sql, args, "trace_id", f.traceIds());
    in(sql, args, "id", f.callIds());
    in(sql, args, "thread_id", f.threadIds());
    in(sql, args, "turn_id", f.turnIds());
    in(sql, args, "wb_user_id", f.wbUserIds());
    if (f.wbRunIds() != null) {
      List<String> runs = new ArrayList<>();
      for (String r : f.wbRunIds()) runs.add(r.contains("/") ? r : f.projectId() + "/" + r);
      in(sql, args, "wb_run_id", runs);
    }
    if (f.rootsOnly()) sql.append(" AND parent_id IS NULL");
    if (f.status() != null) {
      switch (f.status()) {
        case "error" -> sql.append(" AND exception IS NOT NULL");
        case "running" -> sql.append(" AND ended_at IS NULL AND exception IS NULL");
        case "success", "descendant_error" -> sql.append(" AND ended_at IS NOT NULL AND exception IS NULL");
        default -> sql.append(" AND 1 = 0"); // no call has another status
      }
    }
    if (f.text() != null) {
      for (List<CallFilter.TextMatch> group : f.text()) {
        StringJoiner any = new StringJoiner(" OR ", " AND (", ")");
        for (CallFilter.TextMatch m : group) {
          // lower() and LIKE with an escape: the same on SQLite and PostgreSQL for these terms.
          any.add("lower(" + m.column() + ") LIKE ? ESCAPE '\\'");
          args.add("%" + m.term().replace("_", "\\_") + "%");
        }
        sql.append(any);
      }
    }
  }

  private static void in(StringBuilder sql, List<Object> args, String column, List<String> values) {
    if (values == null) return;
    StringJoiner marks = new StringJoiner(", ", " AND " + column + " IN (", ")");
    for (String v : values) {
      marks.add("?");
      args.add(v);
    }
    sql.append(marks);
  }

  @Override
  public int delete(String projectId, List<String> ids) {
    if (ids.isEmpty()) return 0;
    long now = System.currentTimeMillis() * 1000;
    return db.transaction("deleting calls", c -> {
      int deleted = 0;
      List<String> frontier = new ArrayList<>(ids);
      while (!frontier.isEmpty()) {
        List<String> next = new ArrayList<>();
        for (int from = 0; from < frontier.size(); from += 500) {
          List<String> chunk = frontier.subList(from, Math.min(frontier.size(), from + 500));
          String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
          try (PreparedStatement children = c.prepareStatement(
              "SELECT id FROM calls WHERE project_id = ? AND deleted_at IS NULL AND parent_id IN (" + marks + ")")) {
            List<Object> args = new ArrayList<>(List.of(projectId));
            args.addAll(chunk);
            Db.bind(children, args.toArray());
            try (ResultSet rs = children.executeQuery()) {
              while (rs.next()) next.add(rs.getString(1));
            }
          }
          try (PreparedStatement mark = c.prepareStatement(
              "UPDATE calls SET deleted_at = ? WHERE project_id = ? AND deleted_at IS NULL AND id IN (" + marks + ")")) {
            List<Object> args = new ArrayList<>(List.of(now, projectId));
            args.addAll(chunk);
            Db.bind(mark, args.toArray());
            deleted += mark.executeUpdate();
          }
        }
        frontier = next;
      }
      return deleted;
    });
  }

  @Override
  public boolean setDisplayName(String projectId, String id, String displayName) {
    return db.write("updating a call", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE calls SET display_name = ? WHERE project_id = ? AND id = ? AND" + LIVE)) {
        Db.bind(ps, displayName, projectId, id);
        return ps.executeUpdate() > 0;
      }
    });
  }

  private void query(String sql, List<Object> args, Predicate<StoredCall> visitor) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(500);
      Db.bind(ps, args.toArray());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (!visitor.test(row(rs))) break;
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading calls", e);
    }
  }

  private static StoredCall row(ResultSet rs) throws SQLException {
    return new StoredCall(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getLong(9),
        nullableLong(rs, 10), rs.getString(11), rs.getString(12), rs.getString(13),
        rs.getString(14), rs.getString(15), rs.getString(16), rs.getString(17),
        nullableLong(rs, 18), nullableLong(rs, 19), nullableLong(rs, 20));
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  @Override
  public void close() {
    db.close();
    if (writePool != pool) writePool.close();
    pool.close();
  }
}
