package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Retention on SQLite, which also gives the space of what it deleted back to the file system. */
class SqliteRetentionTest extends RetentionContract {
  @Override
  ServerFixture newServer() throws Exception {
    return ServerFixture.start();
  }

  @Test
  void theSpaceOfDeletedTracesGoesBackToTheFileSystem() throws Exception {
    String big = "x".repeat(4000);
    for (int i = 0; i < 200; i++) trace("big" + i, 40, "op", big);
    long before = pragma("page_count");
    s.ok("/project/retention/update", ServerFixture.obj("{'project_id':'" + P + "','retention_days':30}"));
    assertEquals(200, s.store.retention().runNow().get(0).traces());
    assertEquals(0, pragma("freelist_count"), "no free pages left in the file");
    assertTrue(pragma("page_count") < before / 2, "pages " + before + " → " + pragma("page_count"));
  }

  private long pragma(String name) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + s.dir.resolve("weft.db"));
        Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA " + name)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
