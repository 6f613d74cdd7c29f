package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import dev.weft.agent.capture.Capture;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
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
      if (thrown == null && call.op.ends == Op.STAGE && returned instanceof CompletionStage) {
        ((CompletionStage<?>) returned).whenComplete((result, error) -> finish(call, result, error));
      } else {
        finish(call, returned, thrown);
      }
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }

  /**
   * The exit of a method returning a Reactor publisher: returns what the method returns in its
   * place, which ends the call when its work does ({@link Integrations.Publishers}).
   */
  public static Object exitPublisher(Call call, Object returned, Throwable thrown) {
    if (call == null) return returned;
    try {
      call.scope.close();
      if (thrown == null && returned != null) {
        Integrations.Publishers publishers = Integrations.publishers(returned);
        Object traced = publishers == null ? null : publishers.trace(call, returned);
        if (traced != null) return traced;
      }
      finish(call, returned, thrown);
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
    return returned;
  }

  /**
   * The entry of a Kotlin suspend function, whose last argument is its continuation. A new
   * invocation opens a call and puts, in {@code args}, a continuation in place of the caller's
   * that ends the call when the function is done; a resumption makes its call current again.
   * Returns what {@link #exitSuspend} needs: the call, a scope, or null.
   */
  public static Object enterSuspend(int opId, Object[] args) {
    try {
      int last = args.length - 1;
      Object continuation = args[last];
      Integrations.Coroutines coroutines = continuation == null ? null : Integrations.coroutines(continuation);
      if (coroutines != null && coroutines.resumes(Ops.get(opId), continuation)) {
        Call call = coroutines.callOf(continuation);
        return call == null ? null : makeCurrent(call);
      }
      Object callerContext = context();
      Call call = enter(opId, Ops.get(opId).captureInputs ? args.clone() : null);
      if (call != null && coroutines != null) args[last] = coroutines.ending(call, continuation, callerContext);
      return call;
    } catch (Throwable t) {
      Failures.report("call entry", t);
      return null;
    }
  }

  /**
   * The exit of a suspend function: a call that suspended goes on (its continuation ends it);
   * one that returned or threw without suspending ends now.
   */
  public static void exitSuspend(Object entered, Object returned, Throwable thrown) {
    try {
      if (entered instanceof Scoped) {
        ((Scoped) entered).close();
      } else if (entered instanceof Call) {
        Call call = (Call) entered;
        call.scope.close();
        if (thrown != null || !isSuspended(returned)) finish(call, returned, thrown);
      }
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }

  /** Kotlin's {@code COROUTINE_SUSPENDED}, known by name: the agent does not load Kotlin's classes. */
  private static boolean isSuspended(Object returned) {
    return returned instanceof Enum && ((Enum<?>) returned).name().equals("COROUTINE_SUSPENDED")
        && returned.getClass().getName().equals(Integrations.KOTLIN_SINGLETONS);
  }

  /**
   * Opens an LLM call under {@code parent} (null: a root), started at {@code startEpochNanos};
   * not made current. For the LLM integrations, which end it with {@link #finish}.
   */
  public static Call openLlm(Op op, LlmRecord record, Call parent, long startEpochNanos) {
    Call call = new Call(op, parent, null, record, startEpochNanos);
    sink.started(call);
    return call;
  }

  /**
   * Opens a call of {@code op} under {@code parent} (null: a root) with inputs already captured;
   * not made current. For evaluations, whose calls are opened by the API, not by woven code.
   */
  static Call open(Op op, Call parent, Object[] capturedInputs) {
    Call call = new Call(op, parent, capturedInputs);
    sink.started(call);
    return call;
  }

  /**
   * Ends a call with its result, once: the first end wins. For integrations whose calls end
   * after their method returned.
   */
  public static void finish(Call call, Object returned, Throwable thrown) {
    try {
      if (call.end(returned, thrown)) sink.ended(call);
    } catch (Throwable t) {
      Failures.report("call exit", t);
    }
  }

  /** A call made current, until closed; for integrations, which see no OpenTelemetry type. */
  public static final class Scoped implements AutoCloseable {
    private final Scope scope;

    Scoped(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void close() {
      scope.close();
    }
  }

  /** Makes {@code call} current in this thread until the returned scope is closed. */
  public static Scoped makeCurrent(Call call) {
    return new Scoped(Context.current().with(call).makeCurrent());
  }

  /** What is current now, to make current again with {@link #restore}. */
  public static Object context() {
    return Context.current();
  }

  /** Makes a {@link #context} current again until the returned scope is closed. */
  public static Scoped restore(Object context) {
    return new Scoped(((Context) context).makeCurrent());
  }

  /** The call current in this thread, or null. */
  public static Call current() {
    return Call.current();
  }

  /**
   * A Kotlin coroutine context being made for a new coroutine ({@code launch}, {@code async},
   * {@code runBlocking}): with the current call in it, if there is one, so the coroutine runs in
   * that call wherever it is dispatched.
   */
  public static Object coroutineContext(Object context) {
    try {
      Call call = Call.current();
      if (call == null || context == null) return context;
      Integrations.Coroutines coroutines = Integrations.coroutines(context);
      return coroutines == null ? context : coroutines.withCall(call, context);
    } catch (Throwable t) {
      Failures.report("coroutine context", t);
      return context;
    }
  }

  private static final java.util.List<Runnable> AT_EXIT = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Runs {@code action} when the JVM exits, before export's last flush: to end calls still open. */
  public static void atExit(Runnable action) {
    AT_EXIT.add(action);
  }

  /** Called once by the agent as the JVM exits. */
  public static void runAtExit() {
    for (Runnable r : AT_EXIT) {
      try {
        r.run();
      } catch (Throwable t) {
        Failures.report("ending calls at exit", t);
      }
    }
  }
}
