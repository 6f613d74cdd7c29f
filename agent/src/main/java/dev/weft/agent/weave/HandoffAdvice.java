package dev.weft.agent.weave;

import dev.weft.agent.bootstrap.Handoff;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import net.bytebuddy.asm.Advice;

/** The code inlined into JDK executors and threads to carry the current call across hand-offs. */
final class HandoffAdvice {
  private HandoffAdvice() {}

  /** {@code execute(Runnable)}, {@code submit(Runnable)}, {@code schedule(Runnable, …)}. */
  static final class WrapRunnable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
      task = Handoff.wrap(task);
    }
  }

  /** {@code submit(Callable)}, {@code schedule(Callable, …)}. */
  static final class WrapCallable {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(value = 0, readOnly = false) Callable<?> task) {
      task = Handoff.wrap(task);
    }
  }

  /** A pool starting a worker: the worker must not inherit the call that triggered it. */
  static final class Detach {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Scope enter() {
      return Handoff.detach();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Scope scope) {
      Handoff.close(scope);
    }
  }

  /** {@code Thread.start()}: the new thread will run in the starting thread's call. */
  static final class ThreadStart {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread) {
      Handoff.threadStarting(thread);
    }
  }

  /** {@code Runtime.exit(int)}: remember the status for the run's final state. */
  static final class Exit {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) int status) {
      dev.weft.agent.bootstrap.RunExit.exiting(status);
    }
  }

  /** {@code Thread.dispatchUncaughtException}: the main thread failing fails the run. */
  static final class Uncaught {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Thread thread, @Advice.Argument(0) Throwable t) {
      dev.weft.agent.bootstrap.RunExit.uncaught(thread, t);
    }
  }

  /** The new thread's {@code run()}: enter the remembered call, leave it when run returns. */
  static final class ThreadRun {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Scope enter(@Advice.This Thread thread) {
      return Handoff.threadRunning(thread);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Scope scope) {
      Handoff.close(scope);
    }
  }

  /** kotlinx's {@code newCoroutineContext}: a coroutine started in a call runs in it. */
  static final class CoroutineContext {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false, typing = net.bytebuddy.implementation.bytecode.assign.Assigner.Typing.DYNAMIC) Object context) {
      context = dev.weft.agent.bootstrap.Calls.coroutineContext(context);
    }
  }
}
