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
  private static volatile ArtifactSink artifacts;

  private WeftBridge() {}

  public static void setRunSink(RunSink sink) {
    run = sink;
  }

  public static void setArtifactSink(ArtifactSink sink) {
    artifacts = sink;
  }

  /** The current run step, or -1 without a run. */
  static long currentStep() {
    RunSink sink = run;
    return sink == null ? -1 : sink.currentStep();
  }

  /**
   * {@code Weft.artifact(name, type, [metadata, aliases, [keepLast,]] paths...)}: the paths are
   * always last, {@code java.nio.file.Path}s.
   */
  @SuppressWarnings("unchecked")
  private static Object logArtifact(Object[] args) {
    ArtifactSink sink = artifacts;
    if (sink == null) return null;
    Object[] paths = (Object[]) args[args.length - 1];
    java.util.List<java.nio.file.Path> list = new java.util.ArrayList<>();
    if (paths != null) for (Object p : paths) if (p != null) list.add((java.nio.file.Path) p);
    Map<String, ?> metadata = args.length >= 5 ? (Map<String, ?>) args[2] : null;
    java.util.List<String> aliases = args.length >= 5 && args[3] != null ? (java.util.List<String>) args[3] : java.util.List.of();
    Integer keepLast = args.length >= 6 ? (Integer) args[4] : null;
    return sink.log((String) args[0], (String) args[1], metadata, aliases, keepLast, list);
  }

  /** The facade evaluations reach the agent through. */
  public static final String EVALUATION_FACADE = "dev.weft.eval.Bridge";

  /** A facade method of {@code type}: {@code dev.weft.Weft}'s here, evaluations' in {@link EvaluationBridge}. */
  public static Object invoke(String type, String method, Object[] args) {
    return type.equals(EVALUATION_FACADE) ? EvaluationBridge.invoke(method, args) : invoke(method, args);
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
        case "artifact":
          return logArtifact(args);
        case "useArtifact":
          return artifacts == null || args[0] == null ? null : artifacts.use((String) args[0]);
        default:
          return null;
      }
    } catch (Throwable t) {
      Failures.report("Weft." + method, t);
      return null;
    }
  }
}
