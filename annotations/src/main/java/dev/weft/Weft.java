package dev.weft;

import java.util.List;
import java.util.Map;

/**
 * What an app says to Weft while it runs: attributes for the current call, metrics for the
 * current call and run.
 *
 * <p>Every method here is a no-op that returns a neutral value when the Weft agent is not
 * attached, so an app compiled against this class runs unchanged, and pays nothing, without it.
 * The agent rewrites these bodies when it starts. None of them ever throws.
 */
public final class Weft {

  private Weft() {}

  /** Whether the agent is attached and tracing. */
  public static boolean isActive() {
    return false;
  }

  /** The id of the innermost traced call on this logical flow, or {@code null} outside one. */
  public static String currentCallId() {
    return null;
  }

  /** The trace id of the current call, or {@code null} outside one. */
  public static String currentTraceId() {
    return null;
  }

  /** The id of this process's run, or {@code null} without the agent. */
  public static String runId() {
    return null;
  }

  /** Adds an attribute to the current call ({@code attributes.<key>}); ignored outside a call. */
  public static void attribute(String key, Object value) {}

  /**
   * Logs metric values. Inside a call they land in its {@code summary.metrics}; they are also
   * appended to the run's metrics history at the next step.
   */
  public static void log(Map<String, ? extends Number> metrics) {}

  /** Like {@link #log(Map)}, at an explicit step of the run's history. */
  public static void log(Map<String, ? extends Number> metrics, long step) {}

  /** Sets a value in the run's summary, e.g. a final score or a categorical breakdown. */
  public static void summary(String key, Object value) {}

  /** Adds entries to the run's config (hyper-parameters, seeds, model names, …). */
  public static void config(Map<String, ?> config) {}

  /** Stores a table in the run: named columns and rows of values. */
  public static void table(String name, List<String> columns, List<? extends List<?>> rows) {}
}
