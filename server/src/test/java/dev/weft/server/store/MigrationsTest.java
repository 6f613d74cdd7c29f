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
    assertEquals(known(), versions(dir));
    assertEquals("1", known().get(0));
    assertEquals(String.valueOf(known().size()), Schema.LATEST.getVersion(), "versions 1, 2, 3, … with none left out");
  }

  private static List<String> known() {
    return SchemaVersions.known();
  }

  @Test
  void aDatabaseOfANewerServerIsRefusedAndLeftAsItWas(@TempDir Path dir) throws Exception {
    JdbcStore.open(null, dir).close();
    String latest = Schema.LATEST.getVersion(), newer = String.valueOf(Integer.parseInt(latest) + 1);
    try (Connection c = connect(dir); Statement s = c.createStatement()) {
      s.execute("INSERT INTO weft_schema_history (installed_rank, version, description, type, script, installed_by,"
          + " execution_time, success) VALUES (99, '" + newer + "', 'from the future', 'JDBC', 'V" + newer + "', 'weft', 0, 1)");
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdbcStore.open(null, dir));
    assertTrue(e.getMessage().contains("schema is at version " + newer + ", written by a newer Weft server")
        && e.getMessage().contains("knows versions up to " + latest), e.getMessage());
    List<String> expected = new ArrayList<>(known());
    expected.add(newer);
    assertEquals(expected, versions(dir), "nothing applied or undone");
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
