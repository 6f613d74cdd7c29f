package dev.weft.agent.bootstrap;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;

/** A task that runs in the context it was submitted from, then restores the worker's own. */
public abstract class ContextTask {
  final Context context;

  ContextTask(Context context) {
    this.context = context;
  }

  static final class OfRunnable extends ContextTask implements Runnable {
    private final Runnable task;

    OfRunnable(Context context, Runnable task) {
      super(context);
      this.task = task;
    }

    @Override
    public void run() {
      try (Scope ignored = context.makeCurrent()) {
        task.run();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }

  static final class OfCallable<T> extends ContextTask implements Callable<T> {
    private final Callable<T> task;

    OfCallable(Context context, Callable<T> task) {
      super(context);
      this.task = task;
    }

    @Override
    public T call() throws Exception {
      try (Scope ignored = context.makeCurrent()) {
        return task.call();
      }
    }

    @Override
    public String toString() {
      return task.toString();
    }
  }
}
