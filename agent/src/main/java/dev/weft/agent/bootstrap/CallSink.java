package dev.weft.agent.bootstrap;

/**
 * Where calls go as they start and end, like OpenTelemetry's {@code SpanProcessor}: called on
 * the app's threads, so an implementation never blocks and never throws.
 */
public interface CallSink {
  CallSink NONE = new CallSink() {
    @Override
    public void started(Call call) {}

    @Override
    public void ended(Call call) {}
  };

  /** A call has started; its inputs are captured, nothing else is known yet. */
  void started(Call call);

  /** A call has ended; from now on it does not change, but for late descendants' status counts. */
  void ended(Call call);
}
