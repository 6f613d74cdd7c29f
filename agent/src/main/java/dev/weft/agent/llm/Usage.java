package dev.weft.agent.llm;

import dev.weft.agent.bootstrap.Call;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token usage summed up the tree, as Weave's clients sum it: a call's {@code summary.usage} is
 * its own (an LLM call's) plus its descendants'. Done on the export thread as each call goes out:
 * children end, and go, before their parents.
 */
public final class Usage {
  private Usage() {}

  /** Settles an ended call's usage (own plus what its children gave) and gives it to its parent. */
  public static void settle(Call call) {
    Decoded d = Decoders.of(call);
    if (d != null && !d.usage.isEmpty()) call.usage = add(call.usage, d.usage);
    if (call.usage != null && call.parent != null) call.parent.usage = add(call.parent.usage, call.usage);
  }

  /** {@code into} plus {@code more}, summing the counts of each model. */
  static Map<String, Map<String, Long>> add(Map<String, Map<String, Long>> into, Map<String, Map<String, Long>> more) {
    Map<String, Map<String, Long>> out = into == null ? new LinkedHashMap<>() : into;
    for (Map.Entry<String, Map<String, Long>> m : more.entrySet()) {
      Map<String, Long> counts = out.computeIfAbsent(m.getKey(), k -> new LinkedHashMap<>());
      m.getValue().forEach((k, v) -> counts.merge(k, v, Long::sum));
    }
    return out;
  }
}
