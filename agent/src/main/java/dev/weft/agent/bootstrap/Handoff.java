package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Callable;

/**
 * Carries the current call across thread hand-offs: tasks given to executors, and threads
 * started. Only when a call is current; otherwise nothing is wrapped or recorded.
 */
public final class Handoff {
  /** Threads started inside a call and not yet running, with the context to run them in. */
  private static final Map<Thread, Context> STARTING = new WeakHashMap<>();
  private static volatile int starting;

  private Handoff() {}

  public static Runnable wrap(Runnable task) {
    try {
      if (task == null || task instanceof ContextTask) return task;
      Context context = Context.current();
      return context.get(Call.KEY) == null ? task : new ContextTask.OfRunnable(context, task);
    } catch (Throwable t) {
      Failures.report("task hand-off", t);
      return task;
    }
  }

  public static <T> Callable<T> wrap(Callable<T> task) {
    try {
      if (task == null || task instanceof ContextTask) return task;
      Context context = Context.current();
      return context.get(Call.KEY) == null ? task : new ContextTask.OfCallable<>(context, task);
    } catch (Throwable t) {
      Failures.report("task hand-off", t);
      return task;
    }
  }

  /**
   * Runs the rest of a pool's bookkeeping outside any call, so worker threads it starts do not
   * inherit the call that happened to submit the first task. Returns the scope to close, or null.
   */
  public static Scope detach() {
    try {
      Context context = Context.current();
      return context.get(Call.KEY) == null ? null : Context.root().makeCurrent();
    } catch (Throwable t) {
      Failures.report("task hand-off", t);
      return null;
    }
  }

  public static void close(Scope scope) {
    if (scope != null) scope.close();
  }

  /** {@code Thread.start()}: remember the starting thread's context for the new thread. */
  public static void threadStarting(Thread thread) {
    try {
      Context context = Context.current();
      if (context.get(Call.KEY) == null) return;
      synchronized (STARTING) {
        STARTING.put(thread, context);
        starting = STARTING.size();
      }
    } catch (Throwable t) {
      Failures.report("thread hand-off", t);
    }
  }

  /** The new thread's {@code run}: make the remembered context current. Returns the scope or null. */
  public static Scope threadRunning(Thread thread) {
    if (starting == 0) return null;
    try {
      Context context;
      synchronized (STARTING) {
        context = STARTING.remove(thread);
        starting = STARTING.size();
      }
      return context == null ? null : context.makeCurrent();
    } catch (Throwable t) {
      Failures.report("thread hand-off", t);
      return null;
    }
  }
}
