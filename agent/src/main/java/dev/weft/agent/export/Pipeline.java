package dev.weft.agent.export;

import dev.weft.agent.Log;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Failures;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpscArrayQueue;

/**
 * The hand-off from app threads to the exporters: a bounded lock-free queue that app threads
 * offer ended calls to without ever waiting, and one daemon thread that drains it in batches.
 * When the queue is full a call is dropped and counted rather than block the app.
 */
public final class Pipeline {
  private static final int MAX_BATCH = 16_384;
  private static final long IDLE_WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Idle waits grow from the first to the last: short enough that a busy app never fills the queue while we sleep. */
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long LAST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private static volatile Pipeline current;
  /** Whether any exporter wants call starts: read on every call entry, so a plain flag. */
  private static volatile boolean wantsStarts;

  private final MpscArrayQueue<Call> queue;
  private final List<CallExporter> exporters;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  private Pipeline(int capacity, List<CallExporter> exporters) {
    this.queue = new MpscArrayQueue<>(Math.max(2, capacity));
    this.exporters = List.copyOf(exporters);
    this.worker = new Thread(this::drainLoop, "weft-exporter");
    this.worker.setDaemon(true);
  }

  /** Starts the pipeline that ended calls go to from now on. */
  public static Pipeline start(int capacity, List<CallExporter> exporters) {
    Pipeline p = new Pipeline(capacity, exporters);
    current = p;
    boolean starts = false;
    for (CallExporter e : exporters) starts |= e.wantsStarts();
    wantsStarts = starts;
    p.worker.start();
    return p;
  }

  /** Called by app threads when a call starts. Never blocks; nothing at all unless wanted. */
  public static void started(Call call) {
    if (wantsStarts) ended(call);
  }

  /** Called by app threads when a call ends. Never blocks. */
  public static void ended(Call call) {
    Pipeline p = current;
    if (p != null && !p.queue.offer(call)) p.drop();
  }

  private void drop() {
    if (dropped.getAndIncrement() == 0) {
      Log.warn("export queue full (weft.queue.size=" + queue.capacity()
          + "): dropping calls until it drains; the count is reported at exit");
    }
  }

  public long droppedCount() {
    return dropped.get();
  }

  public long exportedCount() {
    return exported.get();
  }

  private void drainLoop() {
    List<Call> batch = new ArrayList<>(MAX_BATCH);
    List<Call> started = new ArrayList<>();
    List<Call> ended = new ArrayList<>();
    long park = FIRST_PARK_NANOS;
    long lastIdle = System.nanoTime();
    while (true) {
      if (System.nanoTime() - lastIdle >= IDLE_WORK_NANOS) {
        idle();
        lastIdle = System.nanoTime();
      }
      boolean finishing = closing; // read before draining: whatever was queued before close is taken
      queue.drain(batch::add, MAX_BATCH);
      if (!batch.isEmpty()) {
        exportBatch(batch, started, ended);
        park = FIRST_PARK_NANOS;
        continue;
      }
      if (finishing) break;
      LockSupport.parkNanos(this, park);
      park = Math.min(park * 2, LAST_PARK_NANOS);
    }
    idle();
    for (CallExporter e : exporters) {
      try {
        e.close();
      } catch (Throwable t) {
        Failures.report("exporter " + e.name() + " close", t);
      }
    }
  }

  private void idle() {
    for (CallExporter e : exporters) {
      try {
        e.idle();
      } catch (Throwable t) {
        Failures.report("exporter " + e.name(), t);
      }
    }
  }

  /** Calls dropped so far because the queue was full, or 0 without a pipeline. */
  public static long droppedTotal() {
    Pipeline p = current;
    return p == null ? 0 : p.dropped.get();
  }

  /**
   * A call may be queued twice, at its start and at its end; by the time it is drained it may
   * have ended already. Each call goes out once as started (if still running) and once as ended.
   */
  private void exportBatch(List<Call> batch, List<Call> started, List<Call> ended) {
    for (Call call : batch) {
      if (call.isEnded()) {
        if (!call.exportedEnd) {
          call.exportedEnd = true;
          ended.add(call);
        }
      } else if (!call.exportedStart) {
        call.exportedStart = true;
        started.add(call);
      }
    }
    for (CallExporter e : exporters) {
      try {
        e.export(e.wantsStarts() ? started : List.of(), ended);
      } catch (Throwable t) {
        Failures.report("exporter " + e.name(), t);
      }
    }
    exported.addAndGet(ended.size());
    batch.clear();
    started.clear();
    ended.clear();
  }

  /**
   * Exports everything queued, closes the exporters, and waits at most {@code timeoutMillis}.
   * Returns true if all was done in time.
   */
  public boolean shutdown(long timeoutMillis) {
    closing = true;
    LockSupport.unpark(worker);
    try {
      // Most of the time for exporting as usual; then exporters stop waiting on the network
      // and keep what is left locally (the weave exporter's spool).
      long first = Math.max(1, timeoutMillis * 3 / 4);
      worker.join(first);
      if (worker.isAlive()) {
        for (CallExporter e : exporters) e.abort();
        worker.join(Math.max(1, timeoutMillis - first));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    boolean done = !worker.isAlive();
    long lost = dropped.get();
    if (!done) {
      Log.warn("export did not finish within weft.flush.timeout=" + timeoutMillis
          + " ms; " + queue.size() + " calls still queued were not exported");
    }
    if (lost > 0) Log.warn(lost + " calls were dropped because the export queue was full");
    return done;
  }
}
