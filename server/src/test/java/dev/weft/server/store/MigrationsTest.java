package dev.weft.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema's versions on SQLite: applied once, and a newer server's database left alone. */
class MigrationsTest {
  @Test
  void aNewDatabaseGetsEveryVersionOnceAndOpeningItAgainAppliesNothing(@TempDir Path dir) throws Exception {
    JdbcStore.open(null, dir).close();
    JdbcStore.open(null, dir).close();
    assertEquals(List.of("1", "2", "3", "4"), versions(dir));
  }

  @Test
  void aDatabaseOfANewerServerIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
    JdbcStore.open(null, dir).close();
    try (Connection c = connect(dir); Statement s = c.createStatement()) {
      s.execute("INSERT INTO weft_schema_history (installed_rank, version, description, type, script, installed_by,"
          + " execution_time, success) VALUES (99, '5', 'from the future', 'JDBC', 'V5', 'weft', 0, 1)");
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdbcStore.open(null, dir));
    assertTrue(e.getMessage().contains("schema is at version 5, written by a newer Weft server")
        && e.getMessage().contains("knows versions up to 4"), e.getMessage());
    assertEquals(List.of("1", "2", "3", "4", "5"), versions(dir), "nothing applied or undone");
  }

  static List<String> versions(Path dir) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = connect(dir); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM weft_schema_history WHERE success ORDER BY installed_rank")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }

  private static Connection connect(Path dir) throws Exception {
    return DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("weft.db"));
  }
}
