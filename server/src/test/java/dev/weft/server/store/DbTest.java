package dev.weft.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** SQLite's writer thread: writes that share a commit stay independent, and a closed store refuses writes. */
class DbTest {
  @Test
  void aFailingWriteInAGroupUndoesOnlyItself(@TempDir Path dir) throws Exception {
    Db db = open(dir);
    db.write("schema", c -> exec(c, "CREATE TABLE t (v TEXT)"));
    CountDownLatch running = new CountDownLatch(1), release = new CountDownLatch(1);
    CompletableFuture<Object> first = CompletableFuture.supplyAsync(() -> db.write("first", c -> {
      running.countDown();
      await(release); // the next two queue meanwhile, and are then committed together
      return exec(c, "INSERT INTO t VALUES ('first')");
    }));
    assertTrue(running.await(10, TimeUnit.SECONDS));
    List<Thread> queued = new ArrayList<>();
    CompletableFuture<Throwable> failing = new CompletableFuture<>();
    CompletableFuture<Object> good = new CompletableFuture<>();
    queued.add(new Thread(() -> {
      try {
        db.write("failing", c -> {
          exec(c, "INSERT INTO t VALUES ('failing')");
          throw new IllegalStateException("refused");
        });
        failing.complete(null);
      } catch (IllegalStateException e) {
        failing.complete(e);
      }
    }));
    queued.add(new Thread(() -> good.complete(db.write("good", c -> exec(c, "INSERT INTO t VALUES ('good')")))));
    for (Thread t : queued) t.start();
    for (Thread t : queued) {
      while (t.getState() != Thread.State.WAITING) Thread.sleep(1); // parked, waiting for its commit
    }
    release.countDown();
    first.get(10, TimeUnit.SECONDS);
    Throwable refused = failing.get(10, TimeUnit.SECONDS);
    assertEquals("refused", refused == null ? "no exception" : refused.getMessage());
    good.get(10, TimeUnit.SECONDS);
    assertEquals(List.of("first", "good"), rows(db));
    db.close();
  }

  @Test
  void aClosedStoreRefusesWritesInsteadOfHanging(@TempDir Path dir) throws Exception {
    Db db = open(dir);
    db.write("schema", c -> exec(c, "CREATE TABLE t (v TEXT)"));
    db.close();
    StoreException e = assertThrows(StoreException.class, () -> db.write("late", c -> exec(c, "INSERT INTO t VALUES ('x')")));
    assertTrue(e.getMessage().contains("late"), e.getMessage());
  }

  private static Db open(Path dir) {
    SQLiteDataSource ds = new SQLiteDataSource();
    ds.setUrl("jdbc:sqlite:" + dir.resolve("t.db"));
    return new Db(ds, ds, false, new StoreMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
  }

  private static Object exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
    return null;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> rows(Db db) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY rowid")) {
      while (rs.next()) out.add(rs.getString(1));
    }
    return out;
  }
}
