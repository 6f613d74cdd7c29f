package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.Retention;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * Retention (Weft): a project's own setting, what applies to it, and a dry run that shows what
 * the next pass would delete. The server's default is {@code serve --retention-days}.
 */
public final class RetentionRoutes {
  /** Ten years: anything longer is a typo for "forever", which is 0. */
  private static final int MAX_DAYS = 3650;
  private final Retention retention;
  private final ObjectMapper json;
  private final Bodies bodies;

  public RetentionRoutes(Retention retention, ObjectMapper json, Bodies bodies) {
    this.retention = retention;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/project/retention/read", this::read);
    app.post("/project/retention/update", this::update);
    app.post("/retention/dry_run", this::dryRun);
  }

  private void read(Context ctx) {
    ctx.json(answer(Fields.string(bodies.object(ctx), "project_id")));
  }

  private void update(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    retention.setProjectSetting(project, new Retention.Policy(days(body, "retention_days"), days(body, "run_retention_days")));
    ctx.json(answer(project));
  }

  /** Null (or absent): the server's default; 0: forever; else whole days. */
  private static Integer days(JsonNode body, String field) {
    Long days = Fields.optionalLong(body, field);
    if (days == null) return null;
    if (days < 0 || days > MAX_DAYS) {
      throw ApiError.invalid(field + ": expected whole days from 0 (keep forever) to " + MAX_DAYS + ", or null for the server's default");
    }
    return days.intValue();
  }

  private ObjectNode answer(String project) {
    Retention.Policy own = retention.projectSetting(project), effective = retention.effective(project),
        server = retention.defaults();
    ObjectNode out = json.createObjectNode().put("project_id", project);
    out.put("retention_days", own.traceDays()).put("run_retention_days", own.runDays());
    out.putObject("server_default").put("retention_days", server.traceDays()).put("run_retention_days", server.runDays());
    out.putObject("effective").put("retention_days", effective.traceDays()).put("run_retention_days", effective.runDays());
    return out;
  }

  private void dryRun(Context ctx) {
    String project = Fields.optionalString(bodies.object(ctx), "project_id");
    ArrayNode projects = json.createArrayNode();
    for (Retention.Report r : retention.dryRun(project)) {
      projects.addObject().put("project_id", r.projectId()).put("retention_days", r.traceDays())
          .put("run_retention_days", r.runDays()).put("traces", r.traces()).put("calls", r.calls())
          .put("feedback", r.feedback()).put("objects", r.objects()).put("runs", r.runs())
          .put("metric_points", r.metricPoints());
    }
    ctx.json(json.createObjectNode().set("projects", projects));
  }
}
