package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.HistorySample;
import dev.weft.server.query.PriceBook;
import dev.weft.server.query.RunEvents;
import dev.weft.server.query.RunUsage;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.PriceStore;
import dev.weft.server.store.RunStore;
import dev.weft.server.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs and metrics, in the style of the Weave routes (docs/server-api.md): start and finish a
 * run, log metric points, set summary values, store tables, and read them back.
 */
public final class RunRoutes {
  private final RunStore store;
  private final Store calls;
  private final PriceStore prices;
  private final ObjectMapper json;
  private final Bodies bodies;
  /** Runs' ends and metric thresholds, for webhooks. */
  private final RunEvents events;
  /** How often an agent should say its run is alive: well within the time after which it is crashed. */
  private final long heartbeatSeconds;

  /** {@code calls} and {@code prices}: what a run's {@code summary.llm} is summed and priced from. */
  public RunRoutes(RunStore store, Store calls, PriceStore prices, ObjectMapper json, Bodies bodies, long heartbeatSeconds,
      RunEvents events) {
    this.events = events;
    this.heartbeatSeconds = heartbeatSeconds;
    this.store = store;
    this.calls = calls;
    this.prices = prices;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/run/start", this::start);
    app.post("/run/finish", this::finish);
    app.post("/run/heartbeat", this::heartbeat);
    app.post("/run/log", this::log);
    app.post("/run/summary", this::summary);
    app.post("/run/table", this::table);
    app.post("/run/read", this::read);
    app.post("/run/history", this::history);
    app.post("/run/tables", this::tables);
    app.post("/runs/query", this::query);
  }

  private void start(Context ctx) {
    ObjectNode r = Fields.object(bodies.object(ctx), "run");
    String id = Fields.string(r, "id");
    String project = Fields.string(r, "project_id");
    String started = Fields.optionalString(r, "started_at");
    JsonNode tags = r.path("tags");
    if (!tags.isMissingNode() && !tags.isNull() && !tags.isArray()) throw ApiError.invalid("tags: expected a list");
    String resume = Fields.optionalString(r, "resume");
    RunStore.Resume mode;
    try {
      mode = resume == null ? RunStore.Resume.NEVER : RunStore.Resume.valueOf(resume.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("resume: one of allow, must, never");
    }
    RunStore.Started s = store.startRun(new RunStore.Run(project, id, Fields.optionalString(r, "name"),
        "running", objectText(r, "config"), tags.isArray() ? tags.toString() : "[]",
        Fields.optionalString(r, "group"), objectText(r, "environment"), "{}",
        started == null ? System.currentTimeMillis() * 1000 : Fields.timestamp(r, "started_at"), null), mode);
    switch (s.how()) {
      case EXISTS -> throw new ApiError(409, "run " + id + " exists in " + project
          + ": start it with resume \"allow\" or \"must\" to go on with it, or use another id");
      case MISSING -> throw new ApiError(404, "no run " + id + " in " + project + " to resume (resume \"must\")");
      default -> { }
    }
    ctx.json(json.createObjectNode().put("id", id).put("resumed", s.how() == RunStore.Started.How.RESUMED)
        .put("last_step", s.lastStep()).put("heartbeat_seconds", heartbeatSeconds));
  }

  private void heartbeat(Context ctx) {
    JsonNode body = bodies.object(ctx);
    if (!store.heartbeat(Fields.string(body, "project_id"), Fields.string(body, "id"))) throw new ApiError(404, "no such run");
    ctx.json(json.createObjectNode().put("heartbeat_seconds", heartbeatSeconds));
  }

  private String objectText(JsonNode parent, String field) {
    ObjectNode o = Fields.optionalObject(parent, field);
    return o == null ? "{}" : o.toString();
  }

  private void finish(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String state = Fields.string(body, "state");
    if (!RunStore.STATES.contains(state) || state.equals("running")) {
      throw ApiError.invalid("state: one of finished, failed, crashed");
    }
    long ended = body.hasNonNull("ended_at") ? Fields.timestamp(body, "ended_at") : System.currentTimeMillis() * 1000;
    String project = Fields.string(body, "project_id"), id = Fields.string(body, "id");
    if (!store.finishRun(project, id, state, ended)) throw new ApiError(404, "no such run");
    events.ended(project, id, state);
    ctx.json(json.createObjectNode());
  }

  private void log(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode points = body.get("points");
    if (points == null || !points.isArray()) throw ApiError.invalid("field required: points (a list)");
    List<RunStore.Point> out = new ArrayList<>();
    long now = System.currentTimeMillis() * 1000;
    int i = 0;
    for (JsonNode p : points) {
      String where = "points[" + i++ + "]";
      Long step = Fields.optionalLong(p, "step");
      if (step == null) throw ApiError.invalid(where + ".step: required integer");
      long ts = p.hasNonNull("timestamp") ? Fields.timestamp(p, "timestamp") : now;
      ObjectNode metrics = Fields.object(p, "metrics");
      for (Iterator<Map.Entry<String, JsonNode>> it = metrics.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> m = it.next();
        if (!m.getValue().isNumber() || !Double.isFinite(m.getValue().asDouble())) {
          throw ApiError.invalid(where + ".metrics." + m.getKey() + ": expected a finite number");
        }
        out.add(new RunStore.Point(step, ts, m.getKey(), m.getValue().asDouble(), Fields.optionalString(p, "call_id")));
      }
    }
    String project = Fields.string(body, "project_id"), runId = Fields.string(body, "run_id");
    RunStore.Logged logged = store.appendPoints(project, runId, out);
    if (logged == null) throw new ApiError(404, "no such run: start it with /run/start first");
    Map<String, Double> newest = new LinkedHashMap<>();
    for (RunStore.Point p : out) newest.put(p.name(), p.value());
    events.logged(project, runId, newest);
    ObjectNode answer = json.createObjectNode().put("count", logged.stored() + logged.merged())
        .put("stored", logged.stored()).put("merged", logged.merged());
    logged.refused().forEach(answer.putArray("refused")::add);
    ctx.json(answer);
  }

  private void summary(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ObjectNode summary = Fields.object(body, "summary");
    Map<String, String> values = new LinkedHashMap<>();
    summary.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().toString()));
    if (!store.mergeSummary(Fields.string(body, "project_id"), Fields.string(body, "run_id"), values)) {
      throw new ApiError(404, "no such run");
    }
    ctx.json(json.createObjectNode());
  }

  private void table(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode columns = body.get("columns");
    JsonNode rows = body.get("rows");
    if (columns == null || !columns.isArray() || columns.isEmpty()) throw ApiError.invalid("columns: expected a non-empty list of names");
    for (JsonNode c : columns) if (!c.isTextual()) throw ApiError.invalid("columns: expected names (strings)");
    if (rows == null || !rows.isArray()) throw ApiError.invalid("rows: expected a list of lists");
    int i = 0;
    for (JsonNode r : rows) {
      if (!r.isArray() || r.size() != columns.size()) {
        throw ApiError.invalid("rows[" + i + "]: expected a list of " + columns.size() + " values");
      }
      i++;
    }
    if (!store.putTable(Fields.string(body, "project_id"), Fields.string(body, "run_id"),
        new RunStore.Table(Fields.string(body, "name"), columns.toString(), rows.toString()))) {
      throw new ApiError(404, "no such run");
    }
    ctx.json(json.createObjectNode());
  }

  private void read(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    ObjectNode out = json.createObjectNode();
    out.set("run", store.readRun(project, Fields.string(body, "id"))
        .<JsonNode>map(r -> toJson(r, store.latestMetrics(project, List.of(r.id())).get(r.id()),
            llmUsage(project, List.of(r.id())).get(r.id())).put("last_step", store.lastStep(project, r.id())))
        .orElse(json.nullNode()));
    ctx.json(out);
  }

  private void history(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ArrayNode points = json.createArrayNode();
    Long samples = Fields.optionalLong(body, "samples");
    if (samples != null && samples < 10) throw ApiError.invalid("samples: at least 10, or leave it out for every point");
    List<RunStore.Point> all = store.history(Fields.string(body, "project_id"), Fields.string(body, "run_id"),
        Fields.optionalStrings(body, "metrics"));
    for (RunStore.Point p : samples == null ? all : HistorySample.of(all, (int) Math.min(samples, 100_000))) {
      ObjectNode n = points.addObject().put("step", p.step()).put("timestamp", Fields.iso(p.timestamp()))
          .put("name", p.name()).put("value", p.value());
      n.put("call_id", p.callId());
    }
    ctx.json(json.createObjectNode().set("points", points));
  }

  private void tables(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ArrayNode tables = json.createArrayNode();
    for (RunStore.Table t : store.tables(Fields.string(body, "project_id"), Fields.string(body, "run_id"))) {
      ObjectNode n = tables.addObject().put("name", t.name());
      n.set("columns", parse(t.columns()));
      n.set("rows", parse(t.rows()));
    }
    ctx.json(json.createObjectNode().set("tables", tables));
  }

  private void query(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    Long offset = Fields.optionalLong(body, "offset");
    List<RunStore.Run> runs = store.queryRuns(project, Fields.optionalLong(body, "limit"), offset == null ? 0 : Math.max(0, offset));
    List<String> ids = runs.stream().map(RunStore.Run::id).toList();
    Map<String, Map<String, Double>> latest = store.latestMetrics(project, ids);
    Map<String, ObjectNode> llm = llmUsage(project, ids);
    ArrayNode out = json.createArrayNode();
    for (RunStore.Run r : runs) out.add(toJson(r, latest.get(r.id()), llm.get(r.id())));
    ctx.json(json.createObjectNode().set("runs", out));
  }

  private Map<String, ObjectNode> llmUsage(String project, List<String> runIds) {
    return RunUsage.of(calls, PriceBook.of(prices.prices(project)), project, runIds, json);
  }

  /** {@code llm}: the run's LLM tokens and cost, set as {@code summary.llm} (over any stored one); or null. */
  private ObjectNode toJson(RunStore.Run r, Map<String, Double> latest, ObjectNode llm) {
    ObjectNode n = json.createObjectNode().put("id", r.id()).put("project_id", r.projectId())
        .put("name", r.name()).put("state", r.state());
    n.set("config", parse(r.config()));
    n.set("tags", parse(r.tags()));
    n.put("group", r.group());
    n.set("environment", parse(r.environment()));
    JsonNode summary = parse(r.summary());
    if (llm != null && summary.isObject()) ((ObjectNode) summary).set("llm", llm);
    n.set("summary", summary);
    n.put("started_at", Fields.iso(r.startedAt()));
    n.put("ended_at", r.endedAt() == null ? null : Fields.iso(r.endedAt()));
    ObjectNode lm = n.putObject("latest_metrics");
    if (latest != null) latest.forEach(lm::put);
    return n;
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return json.nullNode();
    }
  }
}
