package dev.weft.agent.export;

import dev.weft.agent.bootstrap.Call;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints each finished root trace as an indented tree with durations and status. Calls are held
 * per trace until the root ends; at exit, traces whose root never ended are printed as they are.
 */
public final class ConsoleExporter implements CallExporter {
  private static final int MAX_CALLS_PER_TRACE = 2000;

  private final PrintStream out;
  private final Map<String, List<Call>> pending = new LinkedHashMap<>();

  public ConsoleExporter(PrintStream out) {
    this.out = out;
  }

  @Override
  public String name() {
    return "console";
  }

  @Override
  public void export(List<Call> running, List<Call> ended) {
    for (Call call : ended) {
      String trace = call.traceId();
      List<Call> held = pending.computeIfAbsent(trace, k -> new ArrayList<>());
      if (held.size() < MAX_CALLS_PER_TRACE) held.add(call);
      if (call.parent == null) print(pending.remove(trace), call);
    }
  }

  @Override
  public void close() {
    for (List<Call> calls : pending.values()) {
      out.println("[weft] trace " + calls.get(0).traceId() + " (its root had not ended at exit)");
      print(calls, null);
    }
    pending.clear();
    out.flush();
  }

  private void print(List<Call> calls, Call root) {
    Map<Call, List<Call>> children = new HashMap<>();
    List<Call> tops = new ArrayList<>();
    java.util.Set<Call> present = new java.util.HashSet<>(calls);
    for (Call c : calls) {
      if (c.parent != null && present.contains(c.parent)) {
        children.computeIfAbsent(c.parent, k -> new ArrayList<>()).add(c);
      } else {
        tops.add(c);
      }
    }
    StringBuilder sb = new StringBuilder();
    if (root != null) sb.append("[weft] trace ").append(root.traceId()).append('\n');
    if (calls.size() >= MAX_CALLS_PER_TRACE) {
      sb.append("(showing the first ").append(MAX_CALLS_PER_TRACE).append(" calls of this trace)\n");
    }
    tops.sort(Comparator.comparingLong(c -> c.startEpochNanos));
    for (Call top : tops) append(sb, top, children, "", "");
    out.print(sb);
    out.flush();
  }

  private void append(StringBuilder sb, Call call, Map<Call, List<Call>> children, String lead,
      String childLead) {
    sb.append(lead).append(call.op.name).append("  ").append(duration(call)).append("  ")
        .append(status(call)).append('\n');
    List<Call> kids = children.getOrDefault(call, new ArrayList<>());
    kids.sort(Comparator.comparingLong(c -> c.startEpochNanos));
    for (int i = 0; i < kids.size(); i++) {
      boolean last = i == kids.size() - 1;
      append(sb, kids.get(i), children, childLead + (last ? "└─ " : "├─ "),
          childLead + (last ? "   " : "│  "));
    }
  }

  private static String duration(Call call) {
    if (!call.isEnded()) return "running";
    long nanos = call.endEpochNanos() - call.startEpochNanos;
    if (nanos >= 1_000_000_000L) return String.format("%.2f s", nanos / 1e9);
    if (nanos >= 1_000_000L) return String.format("%.1f ms", nanos / 1e6);
    return String.format("%d µs", nanos / 1000);
  }

  private static String status(Call call) {
    Throwable e = call.exception();
    if (e != null) return "✗ " + e.getClass().getSimpleName() + ": " + ExceptionJson.messageOf(e);
    return call.errorCount() > 0 ? "✓ (a descendant failed)" : "✓";
  }
}
