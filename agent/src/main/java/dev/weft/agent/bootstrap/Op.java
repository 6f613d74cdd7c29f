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
  /**
   * When the call ends. {@link #RETURNS}: when the method returns or throws. {@link #STAGE}: it
   * returns a CompletionStage, and the call ends when that completes. {@link #PUBLISHER}: it
   * returns a Reactor Mono or Flux, and the call ends at its first subscription's terminal
   * signal. {@link #SUSPEND}: a Kotlin suspend function, which ends when the coroutine resumes
   * its caller, however often it suspends before.
   */
  public final byte ends;
  public static final byte RETURNS = 0, STAGE = 1, PUBLISHER = 2, SUSPEND = 3;
  /**
   * Its calls' inputs are one captured object, written as the inputs themselves, not by
   * parameter: an evaluation's calls, whose inputs are named as Weave's SDKs name them.
   */
  public final boolean wholeInputs;

  public Op(int id, String name, String className, String methodName, String[] paramNames,
      byte[] paramModes, boolean captureInputs, boolean captureOutput, boolean root, byte ends) {
    this(id, name, className, methodName, paramNames, paramModes, captureInputs, captureOutput, root, ends, false);
  }

  public Op(int id, String name, String className, String methodName, String[] paramNames,
      byte[] paramModes, boolean captureInputs, boolean captureOutput, boolean root, byte ends,
      boolean wholeInputs) {
    this.id = id;
    this.name = name;
    this.className = className;
    this.methodName = methodName;
    this.paramNames = paramNames;
    this.paramModes = paramModes;
    this.captureInputs = captureInputs;
    this.captureOutput = captureOutput;
    this.root = root;
    this.ends = ends;
    this.wholeInputs = wholeInputs;
  }
}
