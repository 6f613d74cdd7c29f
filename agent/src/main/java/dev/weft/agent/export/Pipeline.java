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

  /** Calls whose captured text takes at least this much count against the byte limit too. */
  static final long LARGE_CALL_BYTES = 4096;

  private final MpscArrayQueue<Call> queue;
  private final long maxBytes;
  /** Bytes of the large calls queued or being exported. */
  private final AtomicLong queuedBytes = new AtomicLong();
  private final List<CallExporter> exporters;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedForBytes = new AtomicLong();
  private final AtomicLong exported = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  private Pipeline(int capacity, long maxBytes, List<CallExporter> exporters) {
    this.queue = new MpscArrayQueue<>(Math.max(2, capacity));
    this.maxBytes = maxBytes;
    this.exporters = List.copyOf(exporters);
    this.worker = new Thread(this::drainLoop, "weft-exporter");
    this.worker.setDaemon(true);
  }

  /**
   * Starts the pipeline that ended calls go to from now on: at most {@code capacity} calls queued,
   * and at most {@code maxBytes} of captured text in large calls (queued or being exported).
   */
  public static Pipeline start(int capacity, long maxBytes, List<CallExporter> exporters) {
    Pipeline p = new Pipeline(capacity, maxBytes, exporters);
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

  /** Called by app threads when a call ends (and, for exporters that want them, starts). Never blocks. */
  public static void ended(Call call) {
    Pipeline p = current;
    if (p == null) return;
    // Large captured values also count against a byte limit, so a queue of big calls cannot
    // grow the heap without bound. Small calls are bounded by the count alone, which keeps the
    // usual path free of a shared counter.
    long bytes = 2 * call.capturedChars() + 256; // UTF-16 at worst, and the record itself
    if (bytes >= LARGE_CALL_BYTES && !p.reserve(call, bytes)) {
      p.dropForBytes();
      return;
    }
    if (!p.queue.offer(call)) {
      p.release(call);
      p.drop();
    }
  }

  /**
   * Counts the call at {@code bytes} in all (what it already counts, from an earlier offer still
   * queued, is part of that). The total always equals the sum of the calls' own counts, as each
   * change is made to both by the same thread.
   */
  private boolean reserve(Call call, long bytes) {
    long more = bytes - call.queuedBytes;
    if (more <= 0) return true;
    if (queuedBytes.addAndGet(more) > maxBytes) {
      queuedBytes.addAndGet(-more);
      return false;
    }
    Call.QUEUED_BYTES.addAndGet(call, more);
    return true;
  }

  private void release(Call call) {
    long bytes = Call.QUEUED_BYTES.getAndSet(call, 0);
    if (bytes != 0) queuedBytes.addAndGet(-bytes);
  }

  private void drop() {
    if (dropped.getAndIncrement() == 0) {
      Log.warn("export queue full (weft.queue.size=" + queue.capacity()
          + "): dropping calls until it drains; the count is reported at exit");
    }
  }

  private void dropForBytes() {
    dropped.incrementAndGet();
    if (droppedForBytes.getAndIncrement() == 0) {
      Log.warn("export queue full (weft.queue.max_mb=" + maxBytes / (1024 * 1024)
          + " of large captured values): dropping such calls until it drains; the count is reported at exit");
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
    // Only now: while exporting, the calls are still held. A call whose start went out is
    // counted again if its end is queued later.
    for (Call call : started) release(call);
    for (Call call : ended) release(call);
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
    for (CallExporter e : exporters) e.finishing();
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
