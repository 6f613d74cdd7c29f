package dev.weft.server.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What the store reports about itself on {@code /metrics}: ingest, commits and retention. */
final class StoreMetrics {
  final MeterRegistry registry;
  /** Calls written: each start, or start and end sent together, once. */
  final Counter callsIngested;
  /** The commit of a write transaction: on SQLite one per group of writes (see {@link Db}). */
  final Timer commits;

  StoreMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.callsIngested = Counter.builder("weft.calls.ingested").description("calls written to the store").register(registry);
    this.commits = Timer.builder("weft.store.commit").description("time to commit a write transaction")
        .publishPercentileHistogram().register(registry);
    for (String kind : KINDS) retentionDeleted(kind); // at zero from the start, so a rate has a baseline
  }

  private static final String[] KINDS = {"traces", "calls", "feedback", "objects", "runs", "metric_points"};

  /** What retention deleted, by kind: traces, calls, feedback, objects, runs, metric points. */
  Counter retentionDeleted(String what) {
    return Counter.builder("weft.retention.deleted").description("what retention deleted")
        .tag("kind", what).register(registry);
  }
}
