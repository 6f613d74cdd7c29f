package dev.weft.server.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where calls are kept. Every write is one transaction and is durable when the method returns:
 * the server answers 2xx only after that.
 */
public interface Store {

  /** A column a store can order by, and the direction. */
  record Order(String column, boolean descending) {}

  /** Columns of the calls table a query may order by in the store. */
  List<String> SORTABLE = List.of("id", "op_name", "display_name", "trace_id", "parent_id",
      "thread_id", "turn_id", "started_at", "ended_at", "wb_user_id", "wb_run_id", "wb_run_step",
      "wb_run_step_end");

  /** Applies starts and ends in one transaction. */
  void write(List<CallWrite> writes);

  /** A started, not deleted call. */
  Optional<StoredCall> read(String projectId, String id);

  /**
   * Visits the started, not deleted calls matching {@code filter}, in {@code order} (then by id),
   * skipping {@code offset} and stopping after {@code limit} (null: no limit). The visitor returns
   * false to stop early.
   */
  void scan(CallFilter filter, List<Order> order, Long limit, long offset, Predicate<StoredCall> visitor);

  long count(CallFilter filter);

  /**
   * Visits the root calls of the runs (ids bare or {@code entity/project/run}, as the
   * {@code wb_run_ids} filter takes them) whose summaries have {@code usage}: what a run's LLM
   * tokens are summed from. In no particular order.
   */
  void scanRunRoots(String projectId, List<String> runIds, Predicate<StoredCall> visitor);

  /** Every project that has calls or runs, in name order. */
  List<String> projects();

  /** Marks the calls and all their descendants deleted; returns how many were newly deleted. */
  int delete(String projectId, List<String> ids);

  /** Sets (or with null clears) a call's display name; false if there is no such call. */
  boolean setDisplayName(String projectId, String id, String displayName);
}
