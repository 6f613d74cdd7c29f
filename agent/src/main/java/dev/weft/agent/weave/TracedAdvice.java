package dev.weft.agent.weave;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The code inlined into traced methods. Which enter and exit pair a method gets is chosen at
 * weave time, so a method that captures no inputs never builds an argument array and one that
 * keeps no output never boxes its result.
 */
final class TracedAdvice {
  private TracedAdvice() {}

  /** Bound at weave time to the op id of the method being woven, as a constant. */
  @Retention(RetentionPolicy.RUNTIME)
  @Target(ElementType.PARAMETER)
  @interface OpId {}

  static final class EnterWithInputs {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Call enter(@OpId int opId, @Advice.AllArguments Object[] args) {
      return Calls.enter(opId, args);
    }
  }

  static final class Enter {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Call enter(@OpId int opId) {
      return Calls.enter(opId, null);
    }
  }

  static final class ExitWithOutput {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Call call,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown) {
      Calls.exit(call, returned, thrown);
    }
  }

  static final class Exit {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Call call, @Advice.Thrown Throwable thrown) {
      Calls.exit(call, null, thrown);
    }
  }

  /** A method returning a Reactor publisher: it returns one that ends the call when its work does. */
  static final class ExitPublisher {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Call call,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown) {
      returned = Calls.exitPublisher(call, returned, thrown);
    }
  }

  /**
   * A Kotlin suspend function: its last argument, the continuation, is replaced by one that ends
   * the call, so the call lasts until the function is done, however often it suspends.
   */
  static final class EnterSuspend {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@OpId int opId,
        @Advice.AllArguments(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object[] args) {
      Object[] withContinuation = args; // each read of args builds a new array: read it once
      Object entered = Calls.enterSuspend(opId, withContinuation);
      args = withContinuation; // writes it, with its new continuation, back into the arguments
      return entered;
    }
  }

  static final class ExitSuspend {
    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object entered,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned,
        @Advice.Thrown Throwable thrown) {
      Calls.exitSuspend(entered, returned, thrown);
    }
  }
}
