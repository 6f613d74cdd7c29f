package dev.weft.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SQLite schema: what an earlier version's data directory (no migration history) becomes, and how traces are read. */
class SqliteSchemaTest {
  @Test
  void aDatabaseWithTheEarlierWideIndexesIsMigratedAndKeepsItsCalls() throws Exception {
    assertMigrated(earlier(
        "CREATE INDEX calls_start_id ON calls (project_id, started_at, id)",
        "CREATE INDEX calls_op_start_id ON calls (project_id, op_name, started_at, id)",
        "CREATE INDEX calls_trace_start_id ON calls (project_id, trace_id, started_at, id)",
        "CREATE INDEX calls_parent_start_id ON calls (project_id, parent_id, started_at, id)"));
  }

  @Test
  void aDatabaseWithoutOpKeysGetsThemAndItsCallsAreFoundByOp() throws Exception {
    assertMigrated(earlier("CREATE INDEX calls_by_op ON calls (project_id, op_name, started_at)"));
  }

  /** A data directory of an earlier version: its calls table (without op keys), these indexes, a few calls. */
  private static Path earlier(String... indexes) throws Exception {
    Path dir = Files.createTempDirectory("weft-schema");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("weft.db")); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE calls (project_id TEXT NOT NULL, id TEXT NOT NULL, trace_id TEXT, parent_id TEXT,"
          + " op_name TEXT, display_name TEXT, thread_id TEXT, turn_id TEXT, started_at BIGINT, ended_at BIGINT,"
          + " attributes TEXT, inputs TEXT, output TEXT, exception TEXT, summary TEXT, wb_user_id TEXT,"
          + " wb_run_id TEXT, wb_run_step BIGINT, wb_run_step_end BIGINT, deleted_at BIGINT,"
          + " PRIMARY KEY (project_id, id))");
      for (String index : indexes) s.execute(index);
      insertCalls(s);
    }
    return dir;
  }

  private static void insertCalls(Statement s) throws Exception {
    s.execute("INSERT INTO calls (project_id, id, trace_id, op_name, started_at, attributes, inputs) VALUES"
        + " ('e/p', 'a', 't1', 'run', 1000, '{}', '{\"n\":1}'),"
        + " ('e/p', 'b', 't2', 'weave:///e/p/op/fix:abc', 2000, '{}', '{}'),"
        + " ('e/p', 'c', 't3', 'weave:///e/p/op/fix:def', 3000, '{}', '{}'),"
        + " ('e/q', 'd', 't4', 'run', 4000, '{}', '{}')");
  }

  /** The calls are all there, found by op (one version, any version), and only the new indexes are left. */
  private static void assertMigrated(Path dir) throws Exception {
    try (JdbcStore store = JdbcStore.open(null, dir)) {
      assertEquals("{\"n\":1}", store.calls().read("e/p", "a").orElseThrow().inputs());
      assertEquals(List.of("a"), idsOf(store, "e/p", "run"));
      assertEquals(List.of("b"), idsOf(store, "e/p", "weave:///e/p/op/fix:abc"));
      assertEquals(List.of("b", "c"), idsOf(store, "e/p", "weave:///e/p/op/fix:*"));
      assertEquals(List.of("d"), idsOf(store, "e/q", "run"));
    }
    List<String> indexes = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("weft.db")); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'calls'"
            + " AND name NOT LIKE 'sqlite_autoindex%' ORDER BY name")) {
      while (rs.next()) indexes.add(rs.getString(1));
    }
    assertEquals(List.of("calls_by_op_key", "calls_by_parent", "calls_by_start", "calls_by_trace", "calls_roots",
        "calls_run_roots"), indexes);
    assertEquals(SchemaVersions.afterBaseline(), MigrationsTest.versions(dir), "baselined at 0, then every version");
  }

  private static List<String> idsOf(JdbcStore store, String project, String op) {
    List<String> ids = new ArrayList<>();
    CallFilter filter = new CallFilter(project, List.of(op), null, null, null, null, null, null, null, false, null, null);
    store.calls().scan(filter, List.of(new Store.Order("started_at", false)), null, 0, c -> ids.add(c.id()));
    return ids;
  }

  @Test
  void opKeysNeverChangeAndAnyVersionSharesOne() {
    // Stored keys: a new version of Weft must compute the same ones. The value is FNV-1a 64 of
    // "e/p\nweave:///e/p/op/fix", computed independently (in Python).
    assertEquals(1283766280666692016L, OpKeys.of("e/p", "weave:///e/p/op/fix:abc"));
    assertEquals(OpKeys.of("e/p", "weave:///e/p/op/fix:abc"), OpKeys.of("e/p", "weave:///e/p/op/fix:*"));
    assertNotEquals(OpKeys.of("e/p", "weave:///e/p/op/fix:abc"), OpKeys.of("e/q", "weave:///e/p/op/fix:abc"));
    assertNotEquals(OpKeys.of("e/p", "run"), OpKeys.of("e/p", "runs"));
  }

  @Test
  void aWholeTraceIsReadInIndexOrderWithoutASort() throws Exception {
    Path dir = Files.createTempDirectory("weft-schema");
    JdbcStore.open(null, dir).close();
    String plan = plan(dir, "SELECT * FROM calls WHERE project_id = 'e/p' AND started_at IS NOT NULL"
        + " AND deleted_at IS NULL AND trace_id IN ('t1') ORDER BY started_at ASC, id ASC");
    assertTrue(plan.contains("USING INDEX calls_by_trace"), plan);
    assertFalse(plan.contains("TEMP B-TREE"), plan);
    String roots = plan(dir, "SELECT * FROM calls WHERE project_id = 'e/p' AND started_at IS NOT NULL"
        + " AND deleted_at IS NULL AND parent_id IS NULL ORDER BY started_at DESC, id DESC LIMIT 50");
    assertTrue(roots.contains("USING INDEX calls_roots"), roots);
    String page = plan(dir, "SELECT * FROM calls WHERE project_id = 'e/p' AND started_at IS NOT NULL"
        + " AND deleted_at IS NULL AND ((op_key = 42 AND op_name = 'weave:///e/p/op/fix:abc'))"
        + " ORDER BY started_at DESC, id DESC LIMIT 100");
    assertTrue(page.contains("USING INDEX calls_by_op_key"), page);
  }

  private static String plan(Path dir, String sql) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("weft.db"));
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
      while (rs.next()) out.append(rs.getString(4)).append('\n');
    }
    return out.toString();
  }
}
