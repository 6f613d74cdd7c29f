package dev.weft.agent.integration.kotlin;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import kotlin.Result;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;

/**
 * The continuation a traced suspend function gets in place of its caller's: when the function
 * is done it ends the call with its result or exception, then resumes the caller in what was
 * current when the caller called.
 */
final class Ending<T> implements Continuation<T> {
  final Call call;
  private final Continuation<T> caller;
  private final CoroutineContext context;
  private final Object callerContext;

  Ending(Call call, Continuation<T> caller, CoroutineContext context, Object callerContext) {
    this.call = call;
    this.caller = caller;
    this.context = context;
    this.callerContext = callerContext;
  }

  @Override
  public CoroutineContext getContext() {
    return context;
  }

  @Override
  public void resumeWith(Object result) {
    if (result instanceof Result.Failure) {
      Calls.finish(call, null, ((Result.Failure) result).exception);
    } else {
      Calls.finish(call, result, null);
    }
    try (Calls.Scoped inCaller = Calls.restore(callerContext)) {
      caller.resumeWith(result);
    }
  }

  @Override
  public String toString() {
    return caller.toString();
  }
}
