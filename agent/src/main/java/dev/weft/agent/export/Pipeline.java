package dev.weft.agent.export;

import dev.weft.agent.base.Failures;
import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.CallSink;
import dev.weft.agent.llm.Usage;
import java.util.ArrayList;
import java.util.List;
import org.jctools.queues.MessagePassingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;

/**
 * The hand-off from app threads to the exporters: bounded lock-free queues that app threads offer
 * calls to without ever waiting, and one daemon thread that drains them in batches. When the
 * queue is full a call is dropped and counted rather than block the app.
 *
 * <p>Ended calls go on one queue; started ones on another, only when an exporter shows running
 * calls. A start drained after its call has ended is passed over: the end carries the whole call.
 * The queues are JCTools' atomic-field variants: no {@code sun.misc.Unsafe}, which JDK 24 and
 * later warn about.
 */
public final class Pipeline implements CallSink {
  private static final int MAX_BATCH = 16_384;
  private static final long IDLE_WORK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /** Idle waits grow from the first to the last: short enough that a busy app never fills the queue while we sleep. */
  private static final long FIRST_PARK_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  private static final long LAST_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** Calls whose captured text takes at least this much count against the byte limit too. */
  static final long LARGE_CALL_BYTES = 4096;

  private final MessagePassingQueue<Call> ended;
  private final int capacity;
  private final long maxBytes;
  /** Bytes of the large calls queued or being exported. */
  private final AtomicLong queuedBytes = new AtomicLong();
  // Set by start, before the pipeline is made the sink (a volatile write) and its thread starts.
  /** Null when no exporter shows running calls. */
  private MessagePassingQueue<Call> started;
  private List<CallExporter> exporters = List.of();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong droppedForBytes = new AtomicLong();
  private final Thread worker;
  private volatile boolean closing;

  /**
   * A pipeline that holds at most {@code capacity} calls queued, and at most {@code maxBytes} of
   * captured text in large calls (queued or being exported).
   */
  public Pipeline(int capacity, long maxBytes) {
    this.capacity = Math.max(2, capacity);
    this.ended = new MpscAtomicArrayQueue<>(this.capacity);
    this.maxBytes = maxBytes;
    this.worker = new Thread(this::drainLoop, "weft-exporter");
    this.worker.setDaemon(true);
  }

  /** Starts exporting to {@code to}; the pipeline may then become the calls' sink. */
  public Pipeline start(List<CallExporter> to) {
    exporters = List.copyOf(to);
    boolean starts = false;
    for (CallExporter e : exporters) starts |= e.wantsStarts();
    started = starts ? new MpscAtomicArrayQueue<>(capacity) : null;
    worker.start();
    return this;
  }

  @Override
  public void started(Call call) {
    // A start that does not fit is not a loss: the call still goes out whole when it ends.
    if (started != null && reserve(call, false)) {
      if (!started.offer(call)) release(call, false);
    }
  }

  @Override
  public void ended(Call call) {
    if (!reserve(call, true)) {
      dropForBytes();
    } else if (!ended.offer(call)) {
      release(call, true);
      drop();
    }
  }

  /**
   * Large captured values also count against a byte limit, so a queue of big calls cannot grow
   * the heap without bound. Small calls are bounded by the count alone, which keeps the usual
   * path free of a shared counter. A start counts its inputs; an end, inputs and output: the
   * same amounts are released when they are done with, so nothing about it is kept on the call.
   */
  private boolean reserve(Call call, boolean end) {
    long bytes = bytes(call, end);
    if (bytes == 0) return true;
    if (queuedBytes.addAndGet(bytes) <= maxBytes) return true;
    queuedBytes.addAndGet(-bytes);
    return false;
  }

  private void release(Call call, boolean end) {
    long bytes = bytes(call, end);
    if (bytes != 0) queuedBytes.addAndGet(-bytes);
  }

  /** What a queued start or end counts against the byte limit: 0 for a small call. */
  private static long bytes(Call call, boolean end) {
    long chars = end ? call.capturedChars() : call.inputChars();
    long bytes = 2 * chars + 256; // UTF-16 at worst, and the record itself
    return bytes >= LARGE_CALL_BYTES ? bytes : 0;
  }

  private void drop() {
    if (dropped.getAndIncrement() == 0) {
      Log.warn("export queue full (weft.queue.size=" + capacity
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

  /** Calls dropped so far because the queue was full. */
  public long droppedCount() {
    return dropped.get();
  }

  private void drainLoop() {
    List<Call> starts = new ArrayList<>();
    List<Call> running = new ArrayList<>();
    List<Call> ends = new ArrayList<>(MAX_BATCH);
    long park = FIRST_PARK_NANOS;
    long lastIdle = System.nanoTime();
    while (true) {
      if (System.nanoTime() - lastIdle >= IDLE_WORK_NANOS) {
        idle();
        lastIdle = System.nanoTime();
      }
      boolean finishing = closing; // read before draining: whatever was queued before close is taken
      // Starts first: a call's start is always queued before its end, so it is never taken after it.
      if (started != null) started.drain(starts::add, MAX_BATCH);
      ended.drain(ends::add, MAX_BATCH);
      if (!starts.isEmpty() || !ends.isEmpty()) {
        for (Call c : starts) {
          if (c.isEnded()) release(c, false); // its end carries it whole
          else running.add(c);
        }
        for (Call c : ends) settle(c);
        export(running, ends);
        for (Call c : running) release(c, false);
        for (Call c : ends) release(c, true);
        starts.clear();
        running.clear();
        ends.clear();
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

  /** An ended call's LLM exchange decoded and its usage summed into its parent's, before any exporter sees it. */
  private static void settle(Call call) {
    try {
      Usage.settle(call);
    } catch (Throwable t) {
      Failures.report("summing token usage", t);
    }
  }

  private void export(List<Call> running, List<Call> ends) {
    for (CallExporter e : exporters) {
      try {
        e.export(e.wantsStarts() ? running : List.of(), ends);
      } catch (Throwable t) {
        Failures.report("exporter " + e.name(), t);
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
          + " ms; " + ended.size() + " calls still queued were not exported");
    }
    if (lost > 0) Log.warn(lost + " calls were dropped because the export queue was full");
    return done;
  }
}
