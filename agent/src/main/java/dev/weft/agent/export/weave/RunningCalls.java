package dev.weft.agent.export.weave;

import dev.weft.agent.bootstrap.Call;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Which running calls the server has been told of. A call still running {@link #SHOWN_AFTER_NANOS}
 * after it started has its start sent, so the UI shows it as running; most calls end sooner and
 * go whole, in one write. Touched by the export thread only; the calls themselves carry nothing
 * of this.
 */
final class RunningCalls {
  static final long SHOWN_AFTER_NANOS = 1_000_000_000L;
  /** A call whose start went, ended this long ago and not seen since, lost its end (a full queue). */
  private static final long FORGET_AFTER_NANOS = 60_000_000_000L;

  private final Set<Call> waiting = Collections.newSetFromMap(new IdentityHashMap<>());
  private final Set<Call> shown = Collections.newSetFromMap(new IdentityHashMap<>());

  void add(List<Call> running) {
    waiting.addAll(running);
  }

  /** Running calls due to be shown now; from here on they count as shown. */
  List<Call> due(long nowEpochNanos) {
    List<Call> out = new ArrayList<>();
    for (Iterator<Call> it = waiting.iterator(); it.hasNext(); ) {
      Call c = it.next();
      if (c.isEnded()) {
        it.remove(); // its end is on its way and carries it whole
      } else if (nowEpochNanos - c.startEpochNanos >= SHOWN_AFTER_NANOS) {
        it.remove();
        shown.add(c);
        out.add(c);
      }
    }
    return out;
  }

  /** A call ended: whether its start was sent before, so its end goes alone. */
  boolean ended(Call call) {
    waiting.remove(call);
    return shown.remove(call);
  }

  /** Forgets calls whose end never came. */
  void sweep(long nowEpochNanos) {
    shown.removeIf(c -> c.isEnded() && nowEpochNanos - c.endEpochNanos() > FORGET_AFTER_NANOS);
  }
}
