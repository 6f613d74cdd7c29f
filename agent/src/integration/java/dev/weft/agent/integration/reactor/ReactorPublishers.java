package dev.weft.agent.integration.reactor;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Handoff;
import dev.weft.agent.bootstrap.Integrations;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Reactor (3.5 and later) for traced methods returning a {@link Mono} or {@link Flux}: the
 * method returns a publisher that runs its first subscription in the call and ends the call at
 * that subscription's terminal signal. Work a publisher schedules on any Scheduler runs in the
 * call that scheduled it, through Reactor's own scheduling hook.
 */
public final class ReactorPublishers implements Integrations.Publishers {
  public ReactorPublishers() {
    Schedulers.onScheduleHook("weft", Handoff::wrap);
  }

  @Override
  public Object trace(Call call, Object publisher) {
    if (publisher instanceof Mono) return new TracedMono<>((Mono<?>) publisher, new FirstSubscription(call, true));
    if (publisher instanceof Flux) return new TracedFlux<>((Flux<?>) publisher, new FirstSubscription(call, false));
    return null;
  }
}
