package dev.weft.agent.bootstrap;

import java.util.Arrays;

/**
 * The ops woven so far, by id. Woven code carries its op's id as a constant, so finding the op
 * per call is one array read.
 */
public final class Ops {
  private static volatile Op[] table = new Op[256];
  private static int size;

  private Ops() {}

  public static Op get(int id) {
    return table[id];
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Op> BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The op of calls no woven method makes (an LLM client's request, say), by name: registered
   * the first time, with no parameters; its inputs come whole from the integration.
   */
  public static Op named(String name, String className, String methodName) {
    return BY_NAME.computeIfAbsent(name, n -> register(id -> new Op(id, n, className, methodName,
        new String[0], new byte[0], false, true, false, Op.RETURNS)));
  }

  /** Registers an op built by {@code factory} with the next id, and returns it. */
  public static synchronized Op register(java.util.function.IntFunction<Op> factory) {
    Op[] t = table;
    if (size == t.length) t = Arrays.copyOf(t, size * 2);
    Op op = factory.apply(size);
    t[size++] = op;
    table = t; // volatile write publishes the new element
    return op;
  }
}
