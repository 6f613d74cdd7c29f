package dev.weft.agent.integration.kotlin;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.bootstrap.Op;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.jvm.internal.BaseContinuationImpl;

/**
 * Kotlin suspend functions. Kotlin compiles one into a method taking its caller's continuation
 * last; when it suspends, it returns {@code COROUTINE_SUSPENDED}, and resuming calls the same
 * method again with its own state machine, whose {@code label} has its top bit set. A call
 * opens on the first invocation, in which the caller's continuation is replaced by one that
 * ends the call ({@link Ending}); resumptions make the call current again. With kotlinx
 * coroutines there, coroutines started inside a call run in it ({@link CallElement}).
 */
public final class KotlinCoroutines implements Integrations.Coroutines {
  private final boolean kotlinx = present("kotlinx.coroutines.ThreadContextElement");

  /** The method a state machine class resumes, and its {@code label}; per class, once. */
  private static final ClassValue<StateMachine> STATE_MACHINES = new ClassValue<StateMachine>() {
    @Override
    protected StateMachine computeValue(Class<?> type) {
      return StateMachine.of(type);
    }
  };

  @Override
  public boolean resumes(Op op, Object continuation) {
    if (!(continuation instanceof BaseContinuationImpl)) return false;
    return STATE_MACHINES.get(continuation.getClass()).resumes(op, continuation);
  }

  @Override
  public Call callOf(Object stateMachine) {
    Continuation<?> completion = ((BaseContinuationImpl) stateMachine).getCompletion();
    return completion instanceof Ending ? ((Ending<?>) completion).call : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object ending(Call call, Object completion, Object callerContext) {
    Continuation<Object> caller = (Continuation<Object>) completion;
    CoroutineContext context = kotlinx ? CallElement.with(caller.getContext(), call) : caller.getContext();
    return new Ending<>(call, caller, context, callerContext);
  }

  @Override
  public Object withCall(Call call, Object coroutineContext) {
    return kotlinx ? CallElement.with((CoroutineContext) coroutineContext, call) : coroutineContext;
  }

  private boolean present(String className) {
    try {
      Class.forName(className, false, KotlinCoroutines.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** A state machine class: the suspend function it belongs to, and how to read its label. */
  private static final class StateMachine {
    private static final StateMachine NONE = new StateMachine(null, null);
    private final Method function;
    private final MethodHandle label;

    private StateMachine(Method function, MethodHandle label) {
      this.function = function;
      this.label = label;
    }

    static StateMachine of(Class<?> type) {
      try {
        Method function = type.getEnclosingMethod();
        if (function == null) return NONE;
        Field label = type.getDeclaredField("label");
        label.setAccessible(true);
        return new StateMachine(function, MethodHandles.lookup().unreflectGetter(label));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        return NONE;
      }
    }

    boolean resumes(Op op, Object continuation) {
      if (function == null || !function.getName().equals(op.methodName)
          || !function.getDeclaringClass().getName().equals(op.className)) {
        return false;
      }
      try {
        return ((int) label.invoke(continuation) & Integer.MIN_VALUE) != 0;
      } catch (Throwable t) {
        return false;
      }
    }
  }
}
