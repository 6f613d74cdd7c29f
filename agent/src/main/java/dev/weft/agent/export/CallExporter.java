package dev.weft.agent.export;

import dev.weft.agent.bootstrap.Call;
import java.util.List;

/** Sends finished calls somewhere. Called only from the export thread, never from app threads. */
public interface CallExporter {
  /** A short name for logs, e.g. {@code jsonl}. */
  String name();

  /** Exports calls that ended, in the order they ended. */
  void export(List<Call> calls) throws Exception;

  /** Makes what was exported so far durable or visible. */
  default void flush() throws Exception {}

  /** Flushes and releases resources; called once, at shutdown. */
  default void close() throws Exception {
    flush();
  }
}
