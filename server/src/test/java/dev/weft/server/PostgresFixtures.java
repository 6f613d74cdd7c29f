package dev.weft.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * Servers over PostgreSQL for the store contracts. Needs a server: {@code WEFT_TEST_PG_URL} (a
 * JDBC URL of a database whose user may create databases), by default the one {@code .ci/run}
 * starts. Each test gets a database of its own, dropped afterwards.
 */
final class PostgresFixtures {
  static final String ADMIN_URL = System.getenv().getOrDefault("WEFT_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/postgres?user=weft&password=weft");
  static String unavailable;
  private static boolean probed;

  private static synchronized void findPostgresOnce() {
    if (!probed) findPostgres();
    probed = true;
  }

  private PostgresFixtures() {}

  private static void findPostgres() {
    try (Connection c = DriverManager.getConnection(ADMIN_URL)) {
      unavailable = null;
    } catch (Exception e) {
      unavailable = "no PostgreSQL at " + ADMIN_URL + " (" + e.getMessage()
          + "); .ci/run installs and starts one, or set WEFT_TEST_PG_URL";
    }
  }

  /** A server over a new database; the test is skipped, with the reason, when there is no PostgreSQL. */
  static ServerFixture newServer() throws Exception {
    findPostgresOnce();
    if (System.getenv("CI") != null && unavailable != null) {
      throw new AssertionError("CI must provide PostgreSQL: " + unavailable);
    }
    assumeTrue(unavailable == null, () -> unavailable);
    String db = "weft_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = ADMIN_URL.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
    ServerFixture fixture = new ServerFixture(null, 1 << 20, url);
    fixture.afterClose = () -> {
      try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + db);
      } catch (Exception e) {
        System.err.println("could not drop test database " + db + ": " + e.getMessage());
      }
    };
    return fixture;
  }
}
