package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import dev.weft.agent.capture.Capture;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletionStage;

/**
 * The per-call path: what the advice woven into a traced method runs on entry and on exit, and
 * where ended calls go ({@link CallSink}). Both catch everything; a failure here costs a count
 * and one log line, never the app's call.
 */
public final class Calls {
  private static volatile CallSink sink = CallSink.NONE;

  private Calls() {}

  /** Set once by the agent when export is ready; calls made before go nowhere. */
  public static void setSink(CallSink newSink) {
    sink = newSink;
  }

  /**
   * Opens a call for op {@code opId} nested under the current one and makes it current.
   *
   * @param args the arguments when the op captures inputs, else null
   * @return the call, or null if none could be opened
   */
  public static Call enter(int opId, Object[] args) {
    try {
      WeavingGate.pass();
      Op op = Ops.get(opId);
      Context context = Context.current();
      Call parent = op.root ? null : context.get(Call.KEY);
      Call call = new Call(op, parent, args == null ? null : Capture.inputs(op.paramModes, args));
      call.scope = context.with(call).makeCurrent();
      sink.started(call);
      return call;
    } catch (Throwable t) {
      Failures.report("call entry", t);
      return null;
    }
  }

  /**
   * Closes the call's scope and ends it with the method's result; for a method that returned a
   * CompletionStage, the call ends when the stage completes.
   */
  public static void exit(Call call, Object returned, Throwable thrown) {
    if (call == null) return;
    try {
      call.scope.close();
      if (thrown == null && call.op.async && returned instanceof CompletionStage) {
        ((CompletionStage<?>) returned).whenComplete((result, error) -> end(call, result, error));
      } else {
        end(call, returned, thrown);
      }
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }

  private static void end(Call call, Object returned, Throwable thrown) {
    try {
      if (call.end(returned, thrown)) sink.ended(call);
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }
}
