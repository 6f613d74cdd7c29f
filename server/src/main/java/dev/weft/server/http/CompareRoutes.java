package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.RunComparison;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.CallFilter;
import dev.weft.server.store.RunStore;
import dev.weft.server.store.Store;
import dev.weft.server.store.StoredCall;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /runs/compare}: a candidate run against a baseline, metric by metric, with the
 * gates of {@link RunComparison}; what {@code compare} prints and exits by. Two evaluations
 * ({@code eval:CALL_ID}) compare the same way, by their summaries.
 */
public final class CompareRoutes {
  private final RunStore store;
  private final Store calls;
  private final ObjectMapper json;
  private final Bodies bodies;

  public CompareRoutes(RunStore store, Store calls, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.calls = calls;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/runs/compare", this::compare);
  }

  private void compare(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    List<RunComparison.Gate> gates = new ArrayList<>();
    JsonNode specs = body.path("metrics");
    if (!specs.isMissingNode() && !specs.isNull() && !specs.isArray()) throw ApiError.invalid("metrics: expected a list of gates");
    for (JsonNode spec : specs) {
      try {
        gates.add(RunComparison.Gate.parse(spec.asText()));
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("metrics: " + e.getMessage());
      }
    }
    String baselineSelector = Fields.string(body, "baseline"), candidateSelector = Fields.string(body, "candidate");
    boolean evaluations = baselineSelector.startsWith(EVAL);
    if (evaluations != candidateSelector.startsWith(EVAL)) {
      throw ApiError.invalid("an evaluation (eval:ID) compares with an evaluation, a run with a run");
    }
    ObjectNode out = json.createObjectNode();
    Map<String, Double> before, after;
    if (evaluations) {
      StoredCall baseline = evaluation(project, baselineSelector.substring(EVAL.length()), null, "baseline");
      StoredCall candidate = evaluation(project, candidateSelector.substring(EVAL.length()), baseline.id(), "candidate");
      out.set("baseline", describe(baseline));
      out.set("candidate", describe(candidate));
      before = summary(baseline);
      after = summary(candidate);
    } else {
      List<RunStore.Run> runs = store.queryRuns(project, null, 0);
      RunStore.Run baseline = pick(runs, baselineSelector, null, "baseline");
      RunStore.Run candidate = pick(runs, candidateSelector, baseline, "candidate");
      out.set("baseline", describe(baseline));
      out.set("candidate", describe(candidate));
      before = values(project, baseline);
      after = values(project, candidate);
    }
    List<RunComparison.Row> rows = RunComparison.compare(before, after, gates);
    ArrayNode list = out.putArray("rows");
    for (RunComparison.Row r : rows) {
      ObjectNode n = list.addObject().put("metric", r.metric());
      n.put("baseline", r.baseline());
      n.put("candidate", r.candidate());
      n.put("delta", r.delta());
      n.put("better", r.lowerIsBetter() ? "lower" : "higher");
      n.put("tolerance", r.tolerance());
      n.put("verdict", r.verdict());
    }
    out.put("regressed", RunComparison.regressed(rows));
    ctx.json(out);
  }

  /**
   * A run by id or name; {@code tag:T}, the newest run tagged T that has ended; {@code latest},
   * the newest run other than {@code not} that has ended. {@code runs}: newest first.
   */
  private RunStore.Run pick(List<RunStore.Run> runs, String selector, RunStore.Run not, String which) {
    String tag = selector.startsWith("tag:") ? selector.substring(4) : null;
    for (RunStore.Run r : runs) {
      boolean ended = !r.state().equals("running");
      if (selector.equals("latest") ? ended && (not == null || !r.id().equals(not.id()))
          : tag != null ? ended && tags(r).contains(tag)
          : r.id().equals(selector) || selector.equals(r.name())) {
        return r;
      }
    }
    throw new ApiError(404, "no " + which + " run " + (selector.equals("latest") ? "that has ended"
        : tag != null ? "tagged " + tag + " that has ended" : selector) + " in this project");
  }

  private List<String> tags(RunStore.Run r) {
    List<String> out = new ArrayList<>();
    try {
      json.readTree(r.tags()).forEach(t -> out.add(t.asText()));
    } catch (java.io.IOException e) {
      // stored by /run/start as a JSON list: not reached
    }
    return out;
  }

  /** A run's metrics: each one's value at its last step, and the summary's top-level numbers. */
  private Map<String, Double> values(String project, RunStore.Run r) {
    Map<String, Double> out = new LinkedHashMap<>(store.latestMetrics(project, List.of(r.id())).getOrDefault(r.id(), Map.of()));
    try {
      json.readTree(r.summary()).fields().forEachRemaining(e -> {
        if (e.getValue().isNumber()) out.putIfAbsent(e.getKey(), e.getValue().asDouble());
      });
    } catch (java.io.IOException e) {
      // stored as a JSON object: not reached
    }
    return out;
  }

  private static final String EVAL = "eval:";

  /**
   * An evaluation's {@code Evaluation.evaluate} call by id, or {@code latest}: the newest one
   * that has ended, other than {@code not}.
   */
  private StoredCall evaluation(String project, String selector, String not, String which) {
    if (!selector.equals("latest")) {
      StoredCall c = calls.read(project, selector).orElse(null);
      if (c == null || !isEvaluate(c)) throw new ApiError(404, "no " + which + " evaluation " + selector + " in this project");
      return c;
    }
    StoredCall[] found = new StoredCall[1];
    calls.scan(new CallFilter(project, List.of("weave:///" + project + "/op/Evaluation.evaluate:*", "Evaluation.evaluate"),
        null, null, null, null, null, null, null, true, null, null),
        List.of(new Store.Order("started_at", true)), null, 0, c -> {
          if (c.endedAt() == null || c.id().equals(not)) return true;
          found[0] = c;
          return false;
        });
    if (found[0] == null) throw new ApiError(404, "no " + which + " evaluation that has ended in this project");
    return found[0];
  }

  /** The Evaluation object's name, from the ref its call takes as {@code self}; else the call's display name. */
  private String evaluationName(StoredCall c) {
    try {
      String self = c.inputs() == null ? "" : json.readTree(c.inputs()).path("self").asText("");
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("/object/([^:/]+):").matcher(self);
      if (m.find()) return m.group(1);
    } catch (java.io.IOException e) {
      // stored as JSON: not reached
    }
    return c.displayName() != null ? c.displayName() : "Evaluation.evaluate";
  }

  private static boolean isEvaluate(StoredCall c) {
    String op = c.opName() == null ? "" : c.opName();
    return op.equals("Evaluation.evaluate") || op.matches("weave:///.*/op/Evaluation\\.evaluate:.*");
  }

  /** An evaluation's summary (its output), each number by its path: {@code exact.true_fraction}, {@code model_latency.mean}. */
  private Map<String, Double> summary(StoredCall c) {
    Map<String, Double> out = new LinkedHashMap<>();
    try {
      flatten("", c.output() == null ? null : json.readTree(c.output()), out);
    } catch (java.io.IOException e) {
      // stored as JSON: not reached
    }
    return out;
  }

  private static void flatten(String path, JsonNode v, Map<String, Double> out) {
    if (v == null) return;
    if (v.isNumber()) out.put(path, v.asDouble());
    else if (v.isObject()) v.fields().forEachRemaining(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), out));
  }

  private ObjectNode describe(StoredCall c) {
    return json.createObjectNode().put("id", EVAL + c.id()).put("name", evaluationName(c))
        .put("state", c.exception() != null ? "failed" : c.endedAt() == null ? "running" : "finished")
        .put("started_at", Fields.iso(c.startedAt()));
  }

  private ObjectNode describe(RunStore.Run r) {
    return json.createObjectNode().put("id", r.id()).put("name", r.name()).put("state", r.state())
        .put("started_at", Fields.iso(r.startedAt()));
  }
}
