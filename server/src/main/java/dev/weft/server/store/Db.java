package dev.weft.server.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * The store's connections, and how it writes. On SQLite, writes take turns through a fair Java
 * lock: the database has one writer at a time, and SQLite's own busy handler waits by sleeping
 * (up to 100 ms a turn), which left the database idle while queued writers slept. PostgreSQL
 * writers run side by side.
 */
final class Db {
  /** Work on one connection; an exception rolls it back. */
  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  private final DataSource pool;
  private final DataSource writer;
  private final ReentrantLock writes; // null on PostgreSQL

  /** {@code writer}: where writes go; on SQLite a pool of one connection, so its cache stays warm. */
  Db(DataSource pool, DataSource writer, boolean postgres) {
    this.pool = pool;
    this.writer = writer;
    this.writes = postgres ? null : new ReentrantLock(true);
  }

  /** A connection for reads. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** Runs {@code work} as one transaction: all of it is committed, or none. */
  <T> T transaction(String what, Work<T> work) {
    return write(what, c -> {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    });
  }

  /** Runs {@code work}, whose statements commit one by one, in the writers' turn. */
  <T> T write(String what, Work<T> work) {
    if (writes != null) writes.lock();
    try (Connection c = writer.getConnection()) {
      return work.run(c);
    } catch (SQLException | IOException e) {
      throw new StoreException(what, e);
    } finally {
      if (writes != null) writes.unlock();
    }
  }

  /** Binds values in order: null, Long and Integer as such, anything else as its text. */
  static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) ps.setNull(i + 1, Types.NULL);
      else if (v instanceof Long l) ps.setLong(i + 1, l);
      else if (v instanceof Integer n) ps.setInt(i + 1, n);
      else ps.setString(i + 1, v.toString());
    }
  }
}
