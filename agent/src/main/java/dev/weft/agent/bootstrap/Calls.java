package dev.weft.agent.bootstrap;

import dev.weft.agent.capture.Capture;
import dev.weft.agent.export.Pipeline;
import io.opentelemetry.context.Context;
import java.util.concurrent.CompletionStage;

/**
 * The per-call path: what the advice woven into a traced method runs on entry and on exit.
 * Both catch everything; a failure here costs a count and one log line, never the app's call.
 */
public final class Calls {
  private Calls() {}

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
      Call call = new Call(op, parent, args == null ? null : Capture.inputs(op, args));
      call.scope = context.with(call).makeCurrent();
      Pipeline.started(call);
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
        ((CompletionStage<?>) returned).whenComplete(call::end);
      } else {
        call.end(returned, thrown);
      }
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }
}
