package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import dev.weft.agent.capture.Capture;
import java.util.Map;

/**
 * What the {@code dev.weft.Weft} facade does once the agent has woven it: each facade method
 * calls {@link #invoke} with its name and arguments, and returns what it returns.
 */
public final class WeftBridge {
  /** Receives what concerns the run (metrics history, summary, config, tables). */
  public interface RunSink {
    String runId();

    /** The step of the run's metrics history a call starting now belongs to. */
    long currentStep();

    void log(Map<String, ? extends Number> metrics, Long step, Call call);

    void summary(String key, Object value);

    void config(Map<String, ?> config);

    void table(String name, java.util.List<String> columns, java.util.List<? extends java.util.List<?>> rows);
  }

  private static volatile RunSink run;

  private WeftBridge() {}

  public static void setRunSink(RunSink sink) {
    run = sink;
  }

  /** The current run step, or -1 without a run. */
  static long currentStep() {
    RunSink sink = run;
    return sink == null ? -1 : sink.currentStep();
  }

  @SuppressWarnings("unchecked")
  public static Object invoke(String method, Object[] args) {
    try {
      Call call = Call.current();
      RunSink sink = run;
      switch (method) {
        case "isActive":
          return Boolean.TRUE;
        case "currentCallId":
          return call == null ? null : call.id();
        case "currentTraceId":
          return call == null ? null : call.traceId();
        case "runId":
          return sink == null ? null : sink.runId();
        case "attribute":
          if (call != null && args[0] != null) call.putAttribute((String) args[0], Capture.value(args[1]));
          return null;
        case "log":
          Map<String, ? extends Number> metrics = (Map<String, ? extends Number>) args[0];
          if (metrics == null || metrics.isEmpty()) return null;
          if (call != null) call.putMetrics(metrics);
          if (sink != null) sink.log(metrics, args.length > 1 ? (Long) args[1] : null, call);
          return null;
        case "summary":
          if (sink != null && args[0] != null) sink.summary((String) args[0], args[1]);
          return null;
        case "config":
          if (sink != null && args[0] != null) sink.config((Map<String, ?>) args[0]);
          return null;
        case "table":
          if (sink != null && args[0] != null) {
            sink.table((String) args[0], (java.util.List<String>) args[1],
                (java.util.List<? extends java.util.List<?>>) args[2]);
          }
          return null;
        default:
          return null;
      }
    } catch (Throwable t) {
      Failures.report("Weft." + method, t);
      return null;
    }
  }
}
