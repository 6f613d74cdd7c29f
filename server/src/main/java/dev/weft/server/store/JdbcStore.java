package dev.weft.server.store;

import java.nio.file.Path;

/**
 * The store: calls, objects and runs in one database, SQLite or PostgreSQL, whose schema is
 * brought up to date as it opens.
 */
public final class JdbcStore implements AutoCloseable {
  private final Database database;
  private final JdbcCalls calls;
  private final JdbcObjects objects;
  private final JdbcRuns runs;

  private JdbcStore(Database database) {
    this.database = database;
    this.calls = new JdbcCalls(database.db);
    this.objects = new JdbcObjects(database.db);
    this.runs = new JdbcRuns(database.db);
  }

  /** SQLite in {@code dataDir/weft.db}, or PostgreSQL when {@code jdbcUrl} is given. */
  public static JdbcStore open(String jdbcUrl, Path dataDir) {
    Database database = Database.open(jdbcUrl, dataDir);
    try {
      Schema.create(database.db, database.postgres);
    } catch (RuntimeException e) {
      database.close(); // its connections and SQLite's writer thread
      throw e;
    }
    return new JdbcStore(database);
  }

  /** Calls: written, queried, counted and deleted. */
  public Store calls() {
    return calls;
  }

  /** Runs, their metrics history, summaries and tables, in the same database. */
  public RunStore runs() {
    return runs;
  }

  /** Objects, files, tables and feedback, in the same database. */
  public ObjectStore objects() {
    return objects;
  }

  /** Which database, for the start-up line: {@code SQLite /path} or {@code PostgreSQL url} without the password. */
  public String description() {
    return database.description;
  }

  @Override
  public void close() {
    database.close();
  }
}
