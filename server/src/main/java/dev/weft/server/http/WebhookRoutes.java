package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.RunEvents;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.WebhookStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Webhooks: set, listed and deleted through the API (secrets are never read back), and their delivery log. */
public final class WebhookRoutes {
  private final WebhookStore store;
  private final RunEvents events;
  private final ObjectMapper json;
  private final Bodies bodies;

  public WebhookRoutes(WebhookStore store, RunEvents events, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.events = events;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/webhooks/create", this::create);
    app.post("/webhooks/query", this::query);
    app.post("/webhooks/delete", this::delete);
    app.post("/webhooks/deliveries", this::deliveries);
  }

  private void create(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String url = Fields.string(body, "url");
    String bad = RunEvents.invalidUrl(url);
    if (bad != null) throw ApiError.invalid("url: " + bad);
    JsonNode list = body.path("events");
    List<String> on = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) on.addAll(RunEvents.RUN_ENDS);
    else if (!list.isArray() || list.isEmpty()) throw ApiError.invalid("events: expected a non-empty list");
    for (JsonNode e : list) {
      String why = RunEvents.invalid(e.asText());
      if (why != null) throw ApiError.invalid("events: " + why);
      on.add(e.asText());
    }
    String id = "hook-" + UUID.randomUUID().toString().substring(0, 8);
    store.create(new WebhookStore.Webhook(id, url, on, Fields.optionalString(body, "project_id"),
        Fields.optionalString(body, "secret"), System.currentTimeMillis() * 1000));
    events.changed();
    ctx.json(json.createObjectNode().put("id", id));
  }

  private void query(Context ctx) {
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("webhooks");
    for (WebhookStore.Webhook h : events.hooks()) {
      ObjectNode n = list.addObject().put("id", h.id()).put("url", h.url()).put("project_id", h.projectId())
          .put("source", h.id().startsWith("serve-") ? "serve" : "api").put("signed", h.secret() != null);
      h.events().forEach(n.putArray("events")::add);
    }
    ctx.json(out);
  }

  private void delete(Context ctx) {
    String id = Fields.string(bodies.object(ctx), "id");
    if (id.startsWith("serve-")) throw ApiError.invalid("webhook " + id + " is an option of serve: restart without it");
    if (!store.delete(id)) throw new ApiError(404, "no webhook " + id);
    events.changed();
    ctx.json(json.createObjectNode());
  }

  private void deliveries(Context ctx) {
    JsonNode body = bodies.object(ctx);
    Long limit = Fields.optionalLong(body, "limit");
    ObjectNode out = json.createObjectNode();
    ArrayNode list = out.putArray("deliveries");
    for (WebhookStore.Delivery d : store.deliveries(Fields.optionalString(body, "webhook_id"),
        Fields.optionalString(body, "project_id"), (int) Math.max(1, Math.min(limit == null ? 100 : limit, 1000)))) {
      list.addObject().put("id", d.id()).put("webhook_id", d.webhookId()).put("url", d.url()).put("event", d.event())
          .put("project_id", d.projectId()).put("run_id", d.runId()).put("state", d.state()).put("attempts", d.attempts())
          .put("last_status", d.lastStatus()).put("last_error", d.lastError())
          .put("created_at", Fields.iso(d.createdAt()))
          .put("next_at", d.state().equals("pending") ? Fields.iso(d.nextAt()) : null)
          .put("delivered_at", d.deliveredAt() == null ? null : Fields.iso(d.deliveredAt()));
    }
    ctx.json(out);
  }
}
