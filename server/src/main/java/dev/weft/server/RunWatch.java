package dev.weft.server;

import dev.weft.server.query.RunEvents;
import dev.weft.server.store.RunStore;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks runs {@code crashed} whose agent stopped sending (killed, machine lost), as W&B does:
 * an agent says its run is alive at least every {@link #heartbeatSeconds}, and a run not heard
 * from for the timeout is crashed. Every server may look; marking is idempotent.
 */
final class RunWatch implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RunWatch.class);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-run-watch");
    t.setDaemon(true);
    return t;
  });

  /** How often an agent should send a heartbeat: a fifth of the timeout, so four may be lost. */
  static long heartbeatSeconds(Duration timeout) {
    return Math.max(1, timeout.toSeconds() / 5);
  }

  RunWatch(RunStore runs, RunEvents events, Duration timeout) {
    long every = Math.max(1, heartbeatSeconds(timeout));
    timer.scheduleWithFixedDelay(() -> {
      try {
        List<RunStore.Run> crashed = runs.markCrashed((System.currentTimeMillis() - timeout.toMillis()) * 1000);
        if (!crashed.isEmpty()) log.info("{} run(s) not heard from for {} s marked crashed", crashed.size(), timeout.toSeconds());
        for (RunStore.Run r : crashed) events.ended(r.projectId(), r.id(), "crashed");
      } catch (RuntimeException e) {
        log.warn("could not look for crashed runs: {}", e.toString());
      }
    }, every, every, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
