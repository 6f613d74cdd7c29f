package dev.weft.agent.integration.kotlin;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import kotlin.coroutines.CoroutineContext;
import kotlin.jvm.functions.Function2;
import kotlinx.coroutines.ThreadContextElement;

/**
 * A coroutine context element that makes a call current on whatever thread the coroutine runs,
 * for each slice it runs, and restores what was current after: coroutines started in a call
 * (launch, async, withContext, on any dispatcher) run in it, and nothing leaks to other
 * coroutines on the same thread. Written in Java against Kotlin interfaces, hence the
 * {@code DefaultImpls}.
 */
final class CallElement implements ThreadContextElement<Object> {
  private static final CoroutineContext.Key<CallElement> KEY = new CoroutineContext.Key<CallElement>() {};
  private final Call call;

  private CallElement(Call call) {
    this.call = call;
  }

  static CoroutineContext with(CoroutineContext context, Call call) {
    CallElement present = context.get(KEY);
    return present != null && present.call == call ? context : context.plus(new CallElement(call));
  }

  @Override
  public Object updateThreadContext(CoroutineContext context) {
    return Calls.makeCurrent(call);
  }

  @Override
  public void restoreThreadContext(CoroutineContext context, Object oldState) {
    ((Calls.Scoped) oldState).close();
  }

  @Override
  public CoroutineContext.Key<?> getKey() {
    return KEY;
  }

  @Override
  public <E extends CoroutineContext.Element> E get(CoroutineContext.Key<E> key) {
    return CoroutineContext.Element.DefaultImpls.get(this, key);
  }

  @Override
  public <R> R fold(R initial, Function2<? super R, ? super CoroutineContext.Element, ? extends R> operation) {
    return CoroutineContext.Element.DefaultImpls.fold(this, initial, operation);
  }

  @Override
  public CoroutineContext minusKey(CoroutineContext.Key<?> key) {
    return CoroutineContext.Element.DefaultImpls.minusKey(this, key);
  }

  @Override
  public CoroutineContext plus(CoroutineContext context) {
    return CoroutineContext.Element.DefaultImpls.plus(this, context);
  }
}
