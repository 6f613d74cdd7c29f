package dev.weft.agent.weave;

import dev.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code inlined into the facades, {@code dev.weft.Weft} and evaluations' {@code dev.weft.eval.Bridge}:
 * every method forwards to the agent.
 */
final class FacadeAdvice {
  private FacadeAdvice() {}

  static final class Returning {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method,
        @Advice.AllArguments Object[] args,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned) {
      Object result = WeftBridge.invoke(type, method, args);
      if (result != null) returned = result;
    }
  }

  static final class Void {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Origin("#t") String type, @Advice.Origin("#m") String method,
        @Advice.AllArguments Object[] args) {
      WeftBridge.invoke(type, method, args);
    }
  }
}
