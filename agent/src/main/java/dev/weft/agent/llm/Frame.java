package dev.weft.agent.llm;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.LlmRecord;
import dev.weft.agent.bootstrap.Ops;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;

/**
 * A framework's model call (LangChain4j's ChatModel, Spring AI's), recorded when it ends, and
 * only if no provider exchange inside it was: over a provider SDK Weft traces, that exchange is
 * the call, with the provider's own wire; over a client Weft does not know, the frame is.
 */
public final class Frame {
  private final String op;
  private final String provider;
  private final Call parent;
  private final long startEpochNanos;
  private volatile boolean covered;
  private Scope scope;

  Frame(String op, String provider, Call parent, long startEpochNanos) {
    this.op = op;
    this.provider = provider;
    this.parent = parent;
    this.startEpochNanos = startEpochNanos;
  }

  /** Makes the frame current while the framework sends, so a provider exchange inside finds it. */
  public void enter() {
    scope = Context.current().with(LlmCalls.FRAME, this).makeCurrent();
  }

  /** The framework's send returned (a stream may still be running: it ends with {@link #end}). */
  public void leave() {
    if (scope != null) scope.close();
    scope = null;
  }

  void covered() {
    covered = true;
  }

  /**
   * The model call is done: recorded now unless a provider exchange inside it was.
   *
   * @param request the request object (captured here), e.g. the messages and parameters
   * @param response the response object, or null after an error
   * @param usage tokens by model, as the framework reports them; or null
   */
  public void end(Object request, Object response, Map<String, Map<String, Long>> usage, Throwable error) {
    if (covered) return;
    LlmRecord record = new LlmRecord(provider, "objects");
    record.objects(dev.weft.agent.capture.Capture.value(request), dev.weft.agent.capture.Capture.value(response));
    record.usage(usage);
    Call call = Calls.openLlm(Ops.named(op, provider, op), record, parent, startEpochNanos);
    Calls.finish(call, null, error);
  }
}
