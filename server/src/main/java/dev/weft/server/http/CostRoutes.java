package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.CostsQuery;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.PriceStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Weave's cost routes (docs/server-api.md, "Costs"): a project's own LLM token prices, which
 * {@code include_costs} prices calls by ahead of the built-in ones.
 */
public final class CostRoutes {
  /** The fields of Weave's CostCreateInput, with its newer cache prices; any other is refused, as Weave refuses it. */
  private static final Set<String> INPUT_FIELDS = Set.of("prompt_token_cost", "completion_token_cost",
      "cache_read_input_token_cost", "cache_creation_input_token_cost", "prompt_token_cost_unit",
      "completion_token_cost_unit", "effective_date", "provider_id");
  private final PriceStore prices;
  private final ObjectMapper json;
  private final Bodies bodies;

  public CostRoutes(PriceStore prices, ObjectMapper json, Bodies bodies) {
    this.prices = prices;
    this.json = json;
    this.bodies = bodies;
  }

  /** Under {@code /costs/…} and under {@code /cost/…}, where Weave's Python SDK sends them. */
  public void register(Javalin app) {
    for (String base : new String[] {"/costs", "/cost"}) {
      app.post(base + "/create", this::create);
      app.post(base + "/query", this::query);
      app.post(base + "/purge", this::purge);
    }
  }

  /** {@code {"project_id", "costs": {llm_id: CostCreateInput}}} → {@code {"ids": [[llm_id, id], …]}}. */
  private void create(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    ObjectNode costs = Fields.object(body, "costs");
    String createdBy = Fields.optionalString(body, "wb_user_id");
    long now = System.currentTimeMillis() * 1000;
    List<PriceStore.Price> created = new ArrayList<>();
    ObjectNode answer = json.createObjectNode();
    ArrayNode ids = answer.putArray("ids");
    for (Map.Entry<String, JsonNode> e : costs.properties()) {
      String llm = e.getKey();
      if (llm.isBlank()) throw ApiError.badRequest("costs: a model name (llm_id) must not be empty");
      String where = "costs." + llm;
      if (!e.getValue().isObject()) throw ApiError.invalid(where + ": expected an object");
      JsonNode in = e.getValue();
      for (String f : (Iterable<String>) in::fieldNames) {
        if (!INPUT_FIELDS.contains(f)) throw ApiError.invalid(where + "." + f + ": not a field of a cost");
      }
      String effective = Fields.optionalString(in, "effective_date");
      String provider = Fields.optionalString(in, "provider_id");
      String id = UUID.randomUUID().toString();
      created.add(new PriceStore.Price(project, id, llm, provider == null ? "default" : provider,
          effective == null ? now : Fields.timestamp(effective, where + ".effective_date"),
          price(in, "prompt_token_cost", where, true), price(in, "completion_token_cost", where, true),
          price(in, "cache_read_input_token_cost", where, false), price(in, "cache_creation_input_token_cost", where, false),
          unit(in, "prompt_token_cost_unit"), unit(in, "completion_token_cost_unit"), now, createdBy));
      ids.addArray().add(llm).add(id);
    }
    prices.addPrices(created);
    ctx.json(answer);
  }

  /** A price per token: a number, 0 or more; null if optional and absent. */
  private static Double price(JsonNode in, String field, String where, boolean required) {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) {
      if (required) throw ApiError.invalid("field required: " + where + "." + field);
      return null;
    }
    if (!v.isNumber()) throw ApiError.invalid(where + "." + field + ": expected a number (USD per token)");
    double d = v.asDouble();
    if (!Double.isFinite(d) || d < 0) throw ApiError.badRequest(where + "." + field + ": a price is a finite number, 0 or more");
    return d;
  }

  private static String unit(JsonNode in, String field) {
    String u = Fields.optionalString(in, field);
    return u == null ? "USD" : u;
  }

  /** {@code {"project_id", "fields"?, "query"?, "sort_by"?, "limit"?, "offset"?}} → {@code {"results": […]}}. */
  private void query(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    CostsQuery q = CostsQuery.parse(body);
    ArrayNode results = json.createArrayNode();
    results.addAll(q.run(prices.prices(project), json));
    ctx.json(json.createObjectNode().set("results", results));
  }

  /** {@code {"project_id", "query"}} naming prices by id → {@code {}}. */
  private void purge(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    prices.deletePrices(project, CostsQuery.purgeIds(body));
    ctx.json(json.createObjectNode());
  }
}
