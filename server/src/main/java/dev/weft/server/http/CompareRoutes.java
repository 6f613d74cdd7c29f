package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.RunComparison;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.RunStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /runs/compare}: a candidate run against a baseline, metric by metric, with the
 * gates of {@link RunComparison}; what {@code compare} prints and exits by.
 */
public final class CompareRoutes {
  private final RunStore store;
  private final ObjectMapper json;
  private final Bodies bodies;

  public CompareRoutes(RunStore store, ObjectMapper json, Bodies bodies) {
    this.store = store;
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
    List<RunStore.Run> runs = store.queryRuns(project, null, 0);
    RunStore.Run baseline = pick(runs, Fields.string(body, "baseline"), null, "baseline");
    RunStore.Run candidate = pick(runs, Fields.string(body, "candidate"), baseline, "candidate");
    List<RunComparison.Row> rows = RunComparison.compare(values(project, baseline), values(project, candidate), gates);
    ObjectNode out = json.createObjectNode();
    out.set("baseline", describe(baseline));
    out.set("candidate", describe(candidate));
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

  private ObjectNode describe(RunStore.Run r) {
    return json.createObjectNode().put("id", r.id()).put("name", r.name()).put("state", r.state())
        .put("started_at", Fields.iso(r.startedAt()));
  }
}
