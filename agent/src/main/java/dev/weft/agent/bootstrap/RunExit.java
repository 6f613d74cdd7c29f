package dev.weft.agent.bootstrap;

/**
 * How the JVM is ending, for the run's final state: the status given to {@code System.exit},
 * and whether the main thread died of an uncaught exception.
 */
public final class RunExit {
  private static volatile int exitStatus;
  private static volatile Throwable mainFailure;

  private RunExit() {}

  /** {@code Runtime.exit(status)}: the first status wins, as the JVM's does. */
  public static void exiting(int status) {
    if (exitStatus == 0) exitStatus = status;
  }

  /** {@code Thread.dispatchUncaughtException}: only the main thread's failure fails the run. */
  public static void uncaught(Thread thread, Throwable t) {
    if (thread.getName().equals("main") && thread.getThreadGroup() != null
        && "main".equals(thread.getThreadGroup().getName())) {
      mainFailure = t;
    }
  }

  public static int exitStatus() {
    return exitStatus;
  }

  public static Throwable mainFailure() {
    return mainFailure;
  }
}
