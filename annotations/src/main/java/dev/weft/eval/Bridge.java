package dev.weft.eval;

import java.util.List;
import java.util.Map;

/**
 * What evaluations ask of the Weft agent. Like {@link dev.weft.Weft}, every method is a no-op
 * returning null until the agent rewrites it: without the agent an evaluation still runs its
 * model and scorers and returns its summary, and nothing is recorded.
 */
final class Bridge {
  private Bridge() {}

  /**
   * Opens a call of op {@code op} under {@code parent} (null: under the current call, if any),
   * with these inputs; not made current. Returns the call, or null.
   */
  public static Object open(Object parent, String op, Map<String, Object> inputs) {
    return null;
  }

  /** The id of {@code call}, as the trace server knows it; or null. */
  public static String callId(Object call) {
    return null;
  }

  /** Makes {@code call} current on this thread until the returned scope is closed; or null. */
  public static AutoCloseable enter(Object call) {
    return null;
  }

  /** Ends {@code call} with its output, or with {@code error}. */
  public static void end(Object call, Object output, Throwable error) {}

  /**
   * Publishes an object (a Weave Object's value, with {@code _type}, {@code _class_name},
   * {@code _bases}); returns its {@code weave:///} ref, or null when nothing publishes objects.
   */
  public static String object(String objectId, Map<String, Object> val) {
    return null;
  }

  /** Publishes a table of rows; returns its ref followed by each row's digest, or null. */
  public static List<String> table(List<Map<String, Object>> rows) {
    return null;
  }

  /** The {@code weave:///} ref of the op named {@code op}, or null. */
  public static String opRef(String op) {
    return null;
  }

  /**
   * Records a scorer's result as Weave's {@code wandb.runnable.<scorer>} feedback on the
   * prediction's model call.
   */
  public static void feedback(Object modelCall, String scorer, Object score, String scorerRef, Object scorerCall) {}
}
