package dev.weft.agent.integration;

import dev.weft.agent.bootstrap.Integrations;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The advice of an AI framework's seams (LangChain4j, Spring AI): the method's target, name and
 * arguments go to the framework's integration ({@link Integrations.Models}), which tells the seams
 * apart and may replace an argument (a stream's handler) and the result (a stream's publisher;
 * for a void method, what it gives back goes nowhere).
 */
public final class ModelAdvice {
  private ModelAdvice() {}

  @Advice.OnMethodEnter(suppress = Throwable.class)
  static Object enter(@Advice.This Object target, @Advice.Origin("#m") String method,
      @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args) {
    Object[] given = args;
    Object state = Integrations.modelEnter(target, method, given);
    if (state != null) args = given; // writes back what the integration replaced
    return state;
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  static void exit(@Advice.Enter Object state, @Advice.This Object target,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
      @Advice.Thrown Throwable thrown) {
    if (state != null) returned = Integrations.modelExit(state, target, returned, thrown);
  }
}
