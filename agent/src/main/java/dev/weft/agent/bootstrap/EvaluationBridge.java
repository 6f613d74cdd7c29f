package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import dev.weft.agent.capture.Capture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the {@code dev.weft.eval.Bridge} facade does once the agent has woven it: evaluations
 * open and end their calls here, with inputs named as Weave's SDKs name them, and publish their
 * objects through the {@link ObjectSink}. Each facade method calls {@link #invoke}.
 */
public final class EvaluationBridge {
  private static volatile ObjectSink objects;
  /** The evaluation ops by name: {@code Evaluation.evaluate}, {@code Model.predict}, {@code <scorer>.score}, … */
  private static final Map<String, Op> OPS = new ConcurrentHashMap<>();

  private EvaluationBridge() {}

  /** Set by the agent when an exporter publishes objects; without one, evaluations name objects by name. */
  public static void setObjectSink(ObjectSink sink) {
    objects = sink;
  }

  @SuppressWarnings("unchecked")
  public static Object invoke(String method, Object[] args) {
    try {
      ObjectSink sink = objects;
      switch (method) {
        case "open": {
          Call parent = args[0] instanceof Call ? (Call) args[0] : Call.current();
          return Calls.open(op((String) args[1]), parent, new Object[] {Capture.value(args[2])});
        }
        case "callId":
          return args[0] instanceof Call ? ((Call) args[0]).id() : null;
        case "enter":
          return args[0] instanceof Call ? Calls.makeCurrent((Call) args[0]) : null;
        case "end":
          if (args[0] instanceof Call) Calls.finish((Call) args[0], args[1], (Throwable) args[2]);
          return null;
        case "object":
          return sink == null ? null : sink.object((String) args[0], Capture.value(args[1]).toString());
        case "table": {
          if (sink == null) return null;
          List<String> rows = new ArrayList<>();
          for (Object row : (List<Object>) args[0]) rows.add(Capture.value(row).toString());
          return sink.table(rows);
        }
        case "opRef":
          return sink == null ? null : sink.opRef(op((String) args[0]));
        case "feedback":
          if (sink != null && args[0] instanceof Call && args[4] instanceof Call) {
            sink.scoreFeedback((Call) args[0], (String) args[1], Capture.value(args[2]), (String) args[3], (Call) args[4]);
          }
          return null;
        default:
          return null;
      }
    } catch (Throwable t) {
      Failures.report("evaluation " + method, t);
      return null;
    }
  }

  /** The op of an evaluation's calls named {@code name}: {@code Class.method} names its stub source. */
  private static Op op(String name) {
    return OPS.computeIfAbsent(name, n -> {
      int dot = n.lastIndexOf('.');
      String className = dot > 0 ? n.substring(0, dot) : n;
      String methodName = dot > 0 ? n.substring(dot + 1) : n;
      return Ops.register(id -> new Op(id, n, className, methodName, new String[0], new byte[0], true, true,
          false, Op.RETURNS, true));
    });
  }
}
