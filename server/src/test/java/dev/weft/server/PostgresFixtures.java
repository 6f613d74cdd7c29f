package dev.weft.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.UUID;

/**
 * PostgreSQL for the store tests: the server at {@code WEFT_TEST_PG_URL} (a JDBC URL of a
 * database whose user may create databases; {@code .ci/run} starts one), else one this JVM starts
 * from the binaries on the test class path ({@link LocalPostgres}). Each test gets a database of
 * its own, dropped afterwards.
 */
final class PostgresFixtures {
  private static final String GIVEN_URL = System.getenv("WEFT_TEST_PG_URL");
  private static String adminUrl;
  private static String unavailable;

  private PostgresFixtures() {}

  /** The URL of a database whose user may create databases; skips the test only when a given server is down. */
  static synchronized String adminUrl() {
    if (adminUrl == null && unavailable == null) {
      if (GIVEN_URL == null || GIVEN_URL.isBlank()) {
        try {
          adminUrl = LocalPostgres.start();
        } catch (Exception e) {
          throw new AssertionError("could not start the test PostgreSQL from its Maven artifact", e);
        }
      } else {
        try (Connection c = DriverManager.getConnection(GIVEN_URL)) {
          adminUrl = GIVEN_URL;
        } catch (Exception e) {
          unavailable = "no PostgreSQL at WEFT_TEST_PG_URL=" + GIVEN_URL + " (" + e.getMessage()
              + "); .ci/run installs and starts one, or unset it to test on a PostgreSQL of the tests' own";
        }
      }
    }
    if (System.getenv("CI") != null && unavailable != null) throw new AssertionError("CI must provide PostgreSQL: " + unavailable);
    assumeTrue(unavailable == null, () -> unavailable);
    return adminUrl;
  }

  /** A new, empty database; {@code drop} removes it. */
  static String newDatabase() throws Exception {
    String admin = adminUrl();
    String db = "weft_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection c = DriverManager.getConnection(admin); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    return admin.replaceFirst("/[^/?]+(\\?|$)", "/" + db + "$1");
  }

  /** Drops the database of {@code url}, made by {@link #newDatabase}. */
  static void drop(String url) {
    String db = url.replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
    try (Connection c = DriverManager.getConnection(adminUrl); Statement st = c.createStatement()) {
      st.execute("DROP DATABASE IF EXISTS " + db);
    } catch (Exception e) {
      System.err.println("could not drop test database " + db + ": " + e.getMessage());
    }
  }

  /** A server over a new database. */
  static ServerFixture newServer() throws Exception {
    String url = newDatabase();
    ServerFixture fixture = new ServerFixture(null, 1 << 20, url);
    fixture.afterClose = () -> drop(url);
    return fixture;
  }
}
