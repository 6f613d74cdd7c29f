package dev.weft.eval;

import java.util.Map;

/**
 * A call of the run that no traced method makes: a plain test's, as the JUnit extension records
 * it. Without the agent it records nothing.
 */
public final class Call {
  private final Object call;

  private Call(Object call) {
    this.call = call;
  }

  /** Opens a call of op {@code op} under the current call, if any, with these inputs. */
  public static Call open(String op, Map<String, Object> inputs) {
    return new Call(Bridge.open(null, op, inputs));
  }

  /** Makes this call current on this thread until closed, so traced methods nest in it. */
  public AutoCloseable enter() {
    AutoCloseable scope = Bridge.enter(call);
    return scope != null ? scope : () -> {};
  }

  /** Ends the call with its output, or with {@code error}. */
  public void end(Object output, Throwable error) {
    Bridge.end(call, output, error);
  }
}
