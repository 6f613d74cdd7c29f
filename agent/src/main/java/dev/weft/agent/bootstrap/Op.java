package dev.weft.agent.bootstrap;

/**
 * A traced method as known at weave time: everything about it that does not change per call.
 */
public final class Op {
  public final int id;
  /** The op name, e.g. {@code Orchestrator.run}. */
  public final String name;
  public final String className;
  public final String methodName;
  /** Parameter names, from {@code -parameters}, debug info, or {@code arg0, arg1, …}. */
  public final String[] paramNames;
  /** How each parameter is captured: {@code Capture.CAPTURE}, {@code SKIP} or {@code REDACT}. */
  public final byte[] paramModes;
  public final boolean captureInputs;
  public final boolean captureOutput;
  /** Starts a new trace even inside another call. */
  public final boolean root;
  /** Returns a CompletionStage: the call ends when it completes. */
  public final boolean async;

  public Op(int id, String name, String className, String methodName, String[] paramNames,
      byte[] paramModes, boolean captureInputs, boolean captureOutput, boolean root, boolean async) {
    this.id = id;
    this.name = name;
    this.className = className;
    this.methodName = methodName;
    this.paramNames = paramNames;
    this.paramModes = paramModes;
    this.captureInputs = captureInputs;
    this.captureOutput = captureOutput;
    this.root = root;
    this.async = async;
  }
}
