package dev.weft.server;

import dev.weft.server.store.ArtifactStore;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives back the space of artifact files that were uploaded but never logged (the app stopped
 * between the two) and of uploads cut off, once they are a day old: a log that comes later
 * still works, as the server asks its client for any file it lacks. Every server may sweep; a
 * file a log reuses meanwhile is kept (see JdbcArtifacts).
 */
final class ArtifactSweep implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ArtifactSweep.class);
  /** How old an unlogged upload must be to go: more than any app takes between uploading and logging. */
  static final Duration UNLOGGED_FOR = Duration.ofDays(1);
  private static final Duration EVERY = Duration.ofHours(6);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-artifact-sweep");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  });

  ArtifactSweep(ArtifactStore artifacts) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        int removed = artifacts.removeUnlogged(Instant.now().minus(UNLOGGED_FOR));
        if (removed > 0) log.info("removed {} artifact file(s) uploaded over a day ago and never logged", removed);
      } catch (RuntimeException e) {
        log.warn("could not sweep unlogged artifact files: {}", e.toString());
      }
    }, 10, EVERY.toMinutes(), TimeUnit.MINUTES);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
