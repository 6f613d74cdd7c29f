package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.server.store.SchemaVersions;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replicas on one PostgreSQL start at the same moment, as every deployment with replicas does on
 * its first start and after each upgrade: on a new database and on one of a version from before
 * migrations, all three serve, and each schema version is applied once.
 */
class ReplicasStartIT {
  @Test
  void threeServersStartingAtOnceOnANewDatabaseAllServe() throws Exception {
    String url = PostgresFixtures.newDatabase();
    try {
      for (ServerProcess s : assertThreeServe(url)) s.close();
      assertEquals(SchemaVersions.known(), appliedVersions(url));
    } finally {
      PostgresFixtures.drop(url);
    }
  }

  @Test
  void threeServersStartingAtOnceOnAnEarlierVersionsDatabaseUpgradeItOnceAndKeepItsCalls() throws Exception {
    String url = PostgresFixtures.newDatabase();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      // The schema of a version before op keys and migrations: calls only, the wide indexes.
      s.execute("CREATE TABLE calls (project_id TEXT NOT NULL, id TEXT NOT NULL, trace_id TEXT, parent_id TEXT,"
          + " op_name TEXT, display_name TEXT, thread_id TEXT, turn_id TEXT, started_at BIGINT, ended_at BIGINT,"
          + " attributes TEXT, inputs TEXT, output TEXT, exception TEXT, summary TEXT, wb_user_id TEXT,"
          + " wb_run_id TEXT, wb_run_step BIGINT, wb_run_step_end BIGINT, deleted_at BIGINT, PRIMARY KEY (project_id, id))");
      s.execute("CREATE INDEX calls_start_id ON calls (project_id, started_at, id)");
      s.execute("CREATE INDEX calls_op_start_id ON calls (project_id, op_name, started_at, id)");
      s.execute("INSERT INTO calls (project_id, id, trace_id, op_name, started_at, attributes, inputs) VALUES"
          + " ('e/p', 'a', 't1', 'weave:///e/p/op/fix:abc', 1000, '{}', '{}'),"
          + " ('e/p', 'b', 't2', 'weave:///e/p/op/fix:def', 2000, '{}', '{}')");
    }
    try {
      List<ServerProcess> servers = assertThreeServe(url);
      assertEquals(SchemaVersions.afterBaseline(), appliedVersions(url));
      try {
        // Found through the op keys the upgrade computed, through any of the servers.
        for (ServerProcess s : servers) {
          HttpResponse<String> r = s.post("/calls/query", "{\"project_id\":\"e/p\",\"filter\":{\"op_names\":"
              + "[\"weave:///e/p/op/fix:*\"]},\"columns\":[\"id\"]}");
          assertEquals(200, r.statusCode(), r.body());
          assertTrue(r.body().contains("\"a\"") && r.body().contains("\"b\""), r.body());
        }
      } finally {
        for (ServerProcess s : servers) s.close();
      }
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_indexes WHERE indexname IN ('calls_start_id', 'calls_op_start_id')")) {
        rs.next();
        assertEquals(0, rs.getInt(1), "the earlier indexes are gone");
      }
    } finally {
      PostgresFixtures.drop(url);
    }
  }

  /** Starts three servers at once on {@code url}; each says it listens, is ready, and takes and returns a call. */
  private static List<ServerProcess> assertThreeServe(String url) throws Exception {
    List<ServerProcess> servers = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) servers.add(new ServerProcess("--db", url));
      for (int i = 0; i < servers.size(); i++) {
        ServerProcess s = servers.get(i);
        assertEquals(200, s.get("/ready").statusCode(), s.printed());
        HttpResponse<String> w = s.post("/call/start", "{\"start\":{\"project_id\":\"e/r\",\"id\":\"s" + i
            + "\",\"trace_id\":\"t\",\"op_name\":\"op\",\"started_at\":\"2025-01-01T00:00:00Z\",\"attributes\":{},\"inputs\":{}}}");
        assertEquals(200, w.statusCode(), w.body() + "\n" + s.printed());
      }
      for (ServerProcess s : servers) {
        HttpResponse<String> r = s.post("/calls/query_stats", "{\"project_id\":\"e/r\"}");
        assertEquals("{\"count\":3}", r.body(), "every server sees the calls written through the others");
      }
      return servers;
    } catch (Throwable e) {
      for (ServerProcess s : servers) s.close();
      throw e;
    }
  }

  /** The history's versions in order, each applied once and successfully. */
  private static List<String> appliedVersions(String url) throws Exception {
    List<String> versions = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, success FROM weft_schema_history ORDER BY installed_rank")) {
      while (rs.next()) {
        assertTrue(rs.getBoolean(2), "version " + rs.getString(1) + " failed");
        versions.add(rs.getString(1));
      }
    }
    return versions;
  }
}
