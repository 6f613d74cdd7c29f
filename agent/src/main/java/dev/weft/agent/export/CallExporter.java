package dev.weft.agent.export;

import dev.weft.agent.bootstrap.Call;
import java.util.List;

/** Sends calls somewhere. Called only from the export thread, never from app threads. */
public interface CallExporter {
  /** A short name for logs, e.g. {@code jsonl}. */
  String name();

  /** Whether this exporter shows running calls, not only ended ones. */
  default boolean wantsStarts() {
    return false;
  }

  /**
   * Exports what happened since the last time: calls that started and are still running, each
   * passed once (only to {@link #wantsStarts()} exporters; otherwise empty), and calls that
   * ended, each passed once. A call passed as running comes again when it ends.
   */
  void export(List<Call> running, List<Call> ended) throws Exception;

  /** Called on the export thread now and then, also when no calls come: time for other work. */
  default void idle() throws Exception {}

  /**
   * The JVM is exiting: deliver what is queued as usual, but do not wait out retry pauses for a
   * server that is failing. Called from another thread than the export thread.
   */
  default void finishing() {}

  /**
   * The JVM is exiting and the flush time is nearly up: stop waiting on the network and keep
   * what is left locally if possible. Called from another thread than the export thread.
   */
  default void abort() {}

  /** Makes what was exported so far durable or visible. */
  default void flush() throws Exception {}

  /** Flushes and releases resources; called once, at shutdown. */
  default void close() throws Exception {
    flush();
  }
}
