package dev.weft.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database the store lives in: SQLite (embedded, one file under the data directory) or
 * PostgreSQL (shared by several servers), its connection pools, and the {@link Db} that reads and
 * writes through them.
 */
final class Database implements AutoCloseable {
  final Db db;
  final boolean postgres;
  final String description;
  private final HikariDataSource pool;
  private final HikariDataSource writePool; // SQLite's one writer connection; the pool on PostgreSQL
  /** SQLite's file, whose size is the store's; null on PostgreSQL. */
  private final Path file;
  /** Where migrations connect: on SQLite a plain data source, apart from the writer's connection. */
  private final DataSource migrationSource;

  private Database(HikariDataSource pool, HikariDataSource writePool, String description, Path file,
      DataSource migrationSource, StoreMetrics metrics) {
    this.pool = pool;
    this.writePool = writePool;
    this.description = description;
    this.postgres = file == null;
    this.file = file;
    this.migrationSource = migrationSource;
    this.db = new Db(pool, writePool, postgres, metrics);
  }

  /** SQLite in {@code dataDir/weft.db}, or PostgreSQL when {@code jdbcUrl} is given. */
  static Database open(String jdbcUrl, Path dataDir, MeterRegistry registry) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("weft-store");
    hc.setAutoCommit(true);
    hc.setMetricsTrackerFactory(new com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory(registry)); // the pools' connections and waits, on /metrics
    HikariConfig writer = null;
    String description;
    Path file = null;
    DataSource migrationSource = null;
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
      file = dataDir.resolve("weft.db").toAbsolutePath();
      ds.setUrl("jdbc:sqlite:" + file);
      migrationSource = ds;
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
    return new Database(pool, writePool, description, file, migrationSource == null ? pool : migrationSource,
        new StoreMetrics(registry));
  }

  /** Brings the schema up to date, waiting for any other server doing so on the same database. */
  void migrate() {
    Migrations.apply(migrationSource, postgres ? null : file.resolveSibling("weft.db.migrating"));
  }

  /** The store can answer: a connection and a trivial query, within a few seconds. */
  boolean reachable() {
    try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
      s.setQueryTimeout(5);
      try (ResultSet rs = s.executeQuery("SELECT 1")) {
        return rs.next();
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** Bytes on disk: SQLite's file and its write-ahead log, or PostgreSQL's database; NaN if unknown. */
  double sizeBytes() {
    if (file != null) {
      return fileSize(file) + fileSize(file.resolveSibling("weft.db-wal"));
    }
    try (Connection c = pool.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      return rs.next() ? rs.getLong(1) : Double.NaN;
    } catch (SQLException e) {
      return Double.NaN;
    }
  }

  private static double fileSize(Path p) {
    try {
      return Files.size(p);
    } catch (java.io.IOException e) {
      return 0;
    }
  }

  /** Stops SQLite's writer, then closes the connections. */
  @Override
  public void close() {
    db.close();
    if (writePool != pool) writePool.close();
    pool.close();
  }
}
