package dev.weft.server.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.migration.JavaMigration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a database to this server's {@link Schema} with Flyway, one server at a time: replicas
 * that start together on one PostgreSQL take turns on an advisory lock, so each version is
 * applied once and the others find it done; on SQLite a lock file beside the database does the
 * same. Flyway settles most races on its own, but not two servers that both find an earlier
 * version's database without a history table and both baseline it; the lock rules that out.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);
  /** The advisory lock's key: any number, the same in every Weft server ("weft" in ASCII). */
  private static final long LOCK_KEY = 0x77656674L;

  private Migrations() {}

  /** The database was written by a newer server: this one must not change or serve it. */
  static final class NewerDatabaseException extends IllegalStateException {
    NewerDatabaseException(String message) {
      super(message);
    }
  }

  /**
   * Applies the versions the database lacks. {@code lockFile}: SQLite's lock; null on PostgreSQL,
   * which locks through {@code ds}.
   */
  static void apply(DataSource ds, Path lockFile) {
    Flyway flyway = Flyway.configure()
        .dataSource(ds)
        .javaMigrations(Schema.migrations().toArray(JavaMigration[]::new))
        .locations(new String[0]) // the versions above only, no scanning of the class path for SQL files
        .table("weft_schema_history")
        // A database of a version from before migrations: its tables, no history. It starts from
        // version 0, and versions 1-3 bring whatever it has to today's schema.
        .baselineOnMigrate(true).baselineVersion("0").baselineDescription("Weft before migrations")
        .cleanDisabled(true)
        .load();
    try {
      if (lockFile == null) withAdvisoryLock(ds, () -> migrate(flyway));
      else withFileLock(lockFile, () -> {
        incrementalVacuumIfNew(ds);
        migrate(flyway);
      });
    } catch (SQLException | IOException e) {
      throw new StoreException("bringing the schema up to date", e);
    }
  }

  private static void migrate(Flyway flyway) {
    MigrationInfo current = flyway.info().current();
    if (current != null && current.getVersion() != null && current.getVersion().compareTo(Schema.LATEST) > 0) {
      throw new NewerDatabaseException("the database's schema is at version " + current.getVersion()
          + ", written by a newer Weft server; this one knows versions up to " + Schema.LATEST
          + ". Upgrade this server to serve it (nothing was changed)");
    }
    int applied = flyway.migrate().migrationsExecuted;
    if (applied > 0) log.info("schema: applied {} version(s), now at {}", applied, Schema.LATEST);
  }

  /**
   * A new SQLite database gives the pages retention frees back to the file system in small steps
   * ({@code PRAGMA incremental_vacuum}); that mode can be set only before its first table. An
   * earlier database keeps its mode: its free pages are reused by new calls.
   */
  private static void incrementalVacuumIfNew(DataSource ds) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM sqlite_master")) {
        if (rs.next() && rs.getLong(1) > 0) return;
      }
      s.execute("PRAGMA auto_vacuum = INCREMENTAL");
      s.execute("VACUUM"); // writes the empty database's header, with the mode
    } catch (SQLException e) {
      throw new StoreException("creating the database", e);
    }
  }

  private static void withAdvisoryLock(DataSource ds, Runnable work) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      if (!query(s, "SELECT pg_try_advisory_lock(" + LOCK_KEY + ")")) {
        System.out.println("waiting for another server to bring the database's schema up to date");
        s.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
      }
      try {
        work.run();
      } finally {
        s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
      }
    }
  }

  private static boolean query(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static void withFileLock(Path lockFile, Runnable work) throws IOException {
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        System.out.println("waiting for another server to bring the database's schema up to date");
        lock = channel.lock();
      }
      try (FileLock held = lock) {
        work.run();
      }
    }
  }
}
