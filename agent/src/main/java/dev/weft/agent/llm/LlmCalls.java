package dev.weft.agent.llm;

import dev.weft.agent.base.Clock;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.LlmRecord;
import dev.weft.agent.bootstrap.Ops;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import java.util.Set;
import java.util.function.Predicate;

/**
 * LLM calls, for the integrations with model clients: a provider SDK's HTTP exchange
 * ({@link #open}), or a framework's model call ({@link #frame}). One model call is one call: a
 * framework's is recorded only if no provider exchange inside it was, and the layers of one SDK
 * (retries over a transport) record one exchange, the outermost.
 */
public final class LlmCalls {
  static final ContextKey<Frame> FRAME = ContextKey.named("weft.llm.frame");
  private static volatile Predicate<String> enabled = integration -> false;

  private LlmCalls() {}

  /** Set by the agent from weft.llm and weft.llm.{integration}. */
  public static void configure(boolean on, Set<String> off) {
    enabled = integration -> on && !off.contains(integration);
  }

  public static boolean on(String integration) {
    return enabled.test(integration);
  }

  /**
   * Opens the call of a provider's HTTP exchange, nested under the current call; null when it is
   * not traced: LLM tracing is off for {@code integration}, or this is an inner layer of an
   * exchange already open.
   *
   * @param op the op name, in Weave's convention, e.g. {@code openai.chat.completions.create}
   */
  public static Exchange open(String integration, String op, String provider, String api) {
    if (!on(integration)) return null;
    Call current = Call.current();
    if (current != null && current.llm != null) return null;
    Frame frame = Context.current().get(FRAME);
    if (frame != null) frame.covered();
    LlmRecord record = new LlmRecord(provider, api);
    Call call = Calls.openLlm(Ops.named(op, provider, op), record, current, Clock.nowEpochNanos());
    return new Exchange(call, record);
  }

  /**
   * A framework's model call is about to run (LangChain4j's ChatModel, Spring AI's): returns the
   * frame to {@link Frame#enter} and end; null when not traced.
   */
  public static Frame frame(String integration, String op, String provider) {
    return on(integration) ? new Frame(op, provider, Call.current(), Clock.nowEpochNanos()) : null;
  }
}
