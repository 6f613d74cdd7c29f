package dev.weft.server.store;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * The store's connections, and how it writes. SQLite has one writer at a time, so its writes go
 * to one thread that owns the write connection: it takes them in arrival order and commits those
 * that queued meanwhile in one transaction, each in its own savepoint so that one failing write
 * does not undo the others. A request thread waits for its write's commit, not for a lock it
 * would have to be woken for. PostgreSQL writers run side by side, each in its own transaction.
 */
final class Db {
  /** Work on one connection; an exception rolls it back. */
  interface Work<T> {
    T run(Connection c) throws SQLException, IOException;
  }

  /**
   * At most this many writes share a commit. Two halve the commits under load yet leave later
   * writes queued, parsed while these commit, so the writer never waits for work. Larger groups
   * emptied the queue and left the writer idle while their answers went out: with 4 clients,
   * 110k calls/s with 2 against 100-104k with 4 or 16 and 99-102k with 1 (docs/benchmarks.md).
   */
  private static final int MAX_GROUP = 2;

  private final DataSource pool;
  private final DataSource writer;
  private final Writer sqliteWriter; // null on PostgreSQL
  private final StoreMetrics metrics;
  /** PostgreSQL's writes under way, its counterpart of SQLite's queue. */
  private final AtomicInteger writing = new AtomicInteger();

  /** {@code writer}: where writes go; on SQLite a pool of one connection, so its cache stays warm. */
  Db(DataSource pool, DataSource writer, boolean postgres, StoreMetrics metrics) {
    this.pool = pool;
    this.writer = writer;
    this.metrics = metrics;
    this.sqliteWriter = postgres ? null : new Writer();
  }

  StoreMetrics metrics() {
    return metrics;
  }

  /** Whether writes run side by side (PostgreSQL), rather than one at a time (SQLite's writer). */
  boolean concurrentWriters() {
    return sqliteWriter == null;
  }

  /** Writes waiting for SQLite's writer or being written; on PostgreSQL, writes under way. */
  int queued() {
    return sqliteWriter != null ? sqliteWriter.queue.size() : writing.get();
  }

  /** A connection for reads. */
  Connection connection() throws SQLException {
    return pool.getConnection();
  }

  /** Runs {@code work} as one transaction: all of it is committed, or none. */
  <T> T transaction(String what, Work<T> work) {
    if (sqliteWriter != null) return sqliteWriter.run(what, work);
    writing.incrementAndGet();
    try (Connection c = writer.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        commit(c);
        return result;
      } catch (SQLException | IOException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException | IOException e) {
      throw new StoreException(what, e);
    } finally {
      writing.decrementAndGet();
    }
  }

  private void commit(Connection c) throws SQLException {
    long start = System.nanoTime();
    c.commit();
    metrics.commits.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code work}, whose statements need not commit together. On SQLite it is a transaction
   * all the same (every write is, there); on PostgreSQL each statement commits by itself.
   */
  <T> T write(String what, Work<T> work) {
    if (sqliteWriter != null) return sqliteWriter.run(what, work);
    writing.incrementAndGet();
    try (Connection c = writer.getConnection()) {
      return work.run(c);
    } catch (SQLException | IOException e) {
      throw new StoreException(what, e);
    } finally {
      writing.decrementAndGet();
    }
  }

  /** Stops SQLite's writer once the writes queued so far are committed. */
  void close() {
    if (sqliteWriter != null) sqliteWriter.close();
  }

  /** Binds values in order: null, Long, Integer and Double as such, anything else as its text. */
  static void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v == null) ps.setNull(i + 1, Types.NULL);
      else if (v instanceof Long l) ps.setLong(i + 1, l);
      else if (v instanceof Integer n) ps.setInt(i + 1, n);
      else if (v instanceof Double d) ps.setDouble(i + 1, d);
      else ps.setString(i + 1, v.toString());
    }
  }

  /** One write waiting for SQLite's writer, and what became of it. */
  private static final class Task<T> {
    final String what;
    final Work<T> work;
    final CompletableFuture<T> done = new CompletableFuture<>();
    T result;
    Throwable failure;

    Task(String what, Work<T> work) {
      this.what = what;
      this.work = work;
    }

    /** Runs the work in a savepoint: on failure only its own changes are undone. */
    void runIn(Connection c, Statement s) throws SQLException {
      s.execute("SAVEPOINT write");
      try {
        result = work.run(c);
        s.execute("RELEASE write");
      } catch (SQLException | IOException e) {
        undo(s);
        failure = new StoreException(what, e);
      } catch (RuntimeException | Error e) {
        undo(s);
        failure = e;
      }
    }

    private static void undo(Statement s) throws SQLException {
      s.execute("ROLLBACK TO write");
      s.execute("RELEASE write");
    }

    /** After the commit: the result, or the work's own failure. */
    void finish() {
      if (failure != null) done.completeExceptionally(failure);
      else done.complete(result);
    }
  }

  /** SQLite's one writer thread, and the writes queued for it. */
  private final class Writer {
    /** Queued after the last write, by {@link #close}. */
    private final Task<Void> stop = new Task<>("stopping", c -> null);
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread = new Thread(this::loop, "weft-store-writer");
    private volatile boolean stopped;

    Writer() {
      thread.setDaemon(true);
      thread.start();
    }

    <T> T run(String what, Work<T> work) {
      if (Thread.currentThread() == thread) {
        throw new IllegalStateException("a write inside a write: " + what);
      }
      Task<T> task = new Task<>(what, work);
      queue.add(task);
      // Past the writer's last look at the queue, nobody else will take it out.
      if (stopped && queue.remove(task)) refuse(task);
      try {
        return task.done.join(); // waits through interrupts: the write happens either way
      } catch (CompletionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof Error err) throw err;
        throw new StoreException(what, cause);
      }
    }

    private void loop() {
      List<Task<?>> group = new ArrayList<>(MAX_GROUP);
      boolean stopping = false;
      while (!stopping) {
        try {
          group.add(queue.take());
        } catch (InterruptedException e) {
          continue; // only close() stops the writer, and it does so through the queue
        }
        queue.drainTo(group, MAX_GROUP - 1);
        stopping = group.remove(stop);
        if (!group.isEmpty()) commit(group);
        group.clear();
      }
      stopped = true;
      for (Task<?> t; (t = queue.poll()) != null; ) refuse(t);
    }

    private void refuse(Task<?> t) {
      t.done.completeExceptionally(new StoreException(t.what, new IllegalStateException("the store is closed")));
    }

    /** One transaction for the group; if it cannot commit, every write in it fails. */
    private void commit(List<Task<?>> group) {
      try (Connection c = writer.getConnection(); Statement s = c.createStatement()) {
        c.setAutoCommit(false);
        try {
          for (Task<?> t : group) t.runIn(c, s);
          Db.this.commit(c);
        } catch (SQLException | RuntimeException | Error e) {
          c.rollback();
          throw e;
        } finally {
          c.setAutoCommit(true);
        }
        for (Task<?> t : group) t.finish();
      } catch (Throwable e) {
        for (Task<?> t : group) {
          t.done.completeExceptionally(e instanceof SQLException ? new StoreException(t.what, e) : e);
        }
      }
    }

    void close() {
      queue.add(stop);
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
