package dev.weft.server.store;

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

/**
 * {@link Store} on SQLite or PostgreSQL. One SQL text serves both — upserts with
 * {@code ON CONFLICT}, LIKE only on lower() and plain ASCII terms (elsewhere its case rules
 * differ), {@code NULLS LAST} ordering — and only the index keys differ (see {@link Schema}).
 */
final class JdbcCalls implements Store {
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

  private final Db db;

  JdbcCalls(Db db) {
    this.db = db;
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
    db.metrics().callsIngested.increment(starts.size() + completes.size());
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
    if (f.wbRunIds() != null) in(sql, args, "wb_run_id", runRefs(f.projectId(), f.wbRunIds()));
    if (f.rootsOnly()) sql.append(" AND parent_id IS NULL");
    if (f.feedbackTypes() != null || f.feedbackEmojis() != null) {
      // Feedback names its call by ref (docs/weave-protocol.md); found by feedback_by_ref.
      sql.append(" AND EXISTS (SELECT 1 FROM feedback fb WHERE fb.project_id = calls.project_id"
          + " AND fb.weave_ref = 'weave:///' || calls.project_id || '/call/' || calls.id");
      in(sql, args, "fb.feedback_type", f.feedbackTypes());
      if (f.feedbackEmojis() != null) {
        StringJoiner any = new StringJoiner(" OR ", " AND fb.feedback_type = 'wandb.reaction.1' AND (", ")");
        for (String emoji : f.feedbackEmojis()) {
          any.add("fb.payload LIKE ?");
          args.add("%\"emoji\":\"" + emoji + "\"%");
        }
        sql.append(any);
      }
      sql.append(")");
    }
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

  /** Run ids as calls carry them in {@code wb_run_id}: {@code entity/project/run}; a bare id is the project's. */
  private static List<String> runRefs(String projectId, List<String> runIds) {
    List<String> refs = new ArrayList<>();
    for (String r : runIds) refs.add(r.contains("/") ? r : projectId + "/" + r);
    return refs;
  }

  @Override
  public void scanRunRoots(String projectId, List<String> runIds, Predicate<StoredCall> visitor) {
    List<String> refs = runRefs(projectId, runIds);
    boolean[] more = {true};
    for (int from = 0; from < refs.size() && more[0]; from += 500) { // within any database's limit of parameters
      List<Object> args = new ArrayList<>(List.of(projectId));
      // No started_at condition: a call with a run id was started, and the run roots' index serves it alone.
      StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM calls WHERE project_id = ? AND parent_id IS NULL"
          + " AND deleted_at IS NULL AND summary LIKE '%\"usage\"%'");
      in(sql, args, "wb_run_id", refs.subList(from, Math.min(refs.size(), from + 500)));
      query(sql.toString(), args, c -> more[0] = visitor.test(c));
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
}
