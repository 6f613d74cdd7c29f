package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Fields;
import dev.weft.server.store.PriceStore.Price;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Weave's {@code /costs/query} and {@code /costs/purge} over a project's own prices: the query
 * language, {@code sort_by}, paging and {@code fields} for the one; for the other, which prices
 * by id, the only purge Weave allows.
 */
public final class CostsQuery {
  /** A price as {@code /costs/query} answers it (Weave's CostQueryOutput, with the cache prices). */
  private static final List<String> FIELDS = List.of("id", "llm_id", "prompt_token_cost", "completion_token_cost",
      "cache_read_input_token_cost", "cache_creation_input_token_cost", "prompt_token_cost_unit",
      "completion_token_cost_unit", "effective_date", "provider_id", "pricing_level", "pricing_level_id",
      "created_at", "created_by");
  private static final String ONLY_BY_ID = "query: costs can be purged only by id: {\"$eq\": [{\"$getField\": \"id\"},"
      + " {\"$literal\": ID}]}, {\"$in\": [{\"$getField\": \"id\"}, [{\"$literal\": ID}, …]]} or an $or of those";

  private final Expr expr;
  private final List<CallsQuery.Sort> sort;
  private final Long limit;
  private final long offset;
  private final Set<String> fields;

  private CostsQuery(Expr expr, List<CallsQuery.Sort> sort, Long limit, long offset, Set<String> fields) {
    this.expr = expr;
    this.sort = sort;
    this.limit = limit;
    this.offset = offset;
    this.fields = fields;
  }

  public static CostsQuery parse(JsonNode body) {
    JsonNode q = body.get("query");
    Expr expr = null;
    if (q != null && !q.isNull()) {
      if (!q.has("$expr")) throw ApiError.invalid("query: expected {\"$expr\": …}");
      expr = Expr.parse(q.get("$expr"));
    }
    List<String> fields = Fields.optionalStrings(body, "fields");
    if (fields != null) {
      for (String f : fields) {
        if (!FIELDS.contains(f)) throw ApiError.badRequest("fields: no field " + f + "; a cost has " + String.join(", ", FIELDS));
      }
    }
    Long limit = Fields.optionalLong(body, "limit");
    Long offset = Fields.optionalLong(body, "offset");
    if (limit != null && limit < 0 || offset != null && offset < 0) throw ApiError.invalid("limit and offset must be >= 0");
    return new CostsQuery(expr, CallsQuery.parseSort(body), limit, offset == null ? 0 : offset,
        fields == null ? null : Set.copyOf(fields));
  }

  /** The matching prices, in order (by default as created), paged, with the fields asked for. */
  public List<ObjectNode> run(List<Price> prices, ObjectMapper json) {
    List<ObjectNode> matched = new ArrayList<>();
    for (Price p : prices) {
      ObjectNode row = toJson(p, json);
      if (expr == null || expr.test(row)) matched.add(row);
    }
    Comparator<ObjectNode> order = (a, b) -> 0;
    for (CallsQuery.Sort s : sort) {
      order = order.thenComparing((a, b) -> CallsQuery.compareValues(Expr.get(a, s.path()), Expr.get(b, s.path()), s.descending()));
    }
    matched.sort(order); // stable: ties keep the store's order
    List<ObjectNode> out = new ArrayList<>();
    long end = limit == null ? matched.size() : Math.min(matched.size(), offset + limit);
    for (long i = offset; i < end; i++) {
      ObjectNode row = matched.get((int) i);
      if (fields != null) row.retain(fields);
      out.add(row);
    }
    return out;
  }

  private static ObjectNode toJson(Price p, ObjectMapper json) {
    ObjectNode n = json.createObjectNode().put("id", p.id()).put("llm_id", p.llmId())
        .put("prompt_token_cost", p.promptTokenCost()).put("completion_token_cost", p.completionTokenCost())
        .put("cache_read_input_token_cost", p.cacheReadInputTokenCost())
        .put("cache_creation_input_token_cost", p.cacheCreationInputTokenCost())
        .put("prompt_token_cost_unit", p.promptTokenCostUnit()).put("completion_token_cost_unit", p.completionTokenCostUnit())
        .put("effective_date", Fields.iso(p.effectiveDate())).put("provider_id", p.providerId())
        .put("pricing_level", "project").put("pricing_level_id", p.projectId())
        .put("created_at", Fields.iso(p.createdAt()));
    n.put("created_by", p.createdBy());
    return n;
  }

  /** The ids a purge names, in Weave's only accepted forms; anything else is refused with 400. */
  public static List<String> purgeIds(JsonNode body) {
    JsonNode q = body.get("query");
    if (q == null || q.isNull()) throw ApiError.invalid("field required: query");
    if (!q.isObject() || !q.has("$expr")) throw ApiError.invalid("query: expected {\"$expr\": …}");
    Expr.parse(q.get("$expr")); // a malformed expression is refused as any query's is
    List<String> ids = new ArrayList<>();
    JsonNode expr = q.get("$expr");
    JsonNode or = expr.get("$or");
    if (or != null && expr.size() == 1 && or.isArray()) {
      for (JsonNode term : or) idsOf(term, ids);
    } else {
      idsOf(expr, ids);
    }
    return ids;
  }

  private static void idsOf(JsonNode term, List<String> ids) {
    if (term.size() != 1) throw ApiError.badRequest(ONLY_BY_ID);
    JsonNode eq = term.get("$eq");
    JsonNode in = term.get("$in");
    if (eq != null && eq.size() == 2) {
      for (int i = 0; i < 2; i++) {
        if (isId(eq.get(i)) && literal(eq.get(1 - i)) != null) {
          ids.add(literal(eq.get(1 - i)));
          return;
        }
      }
    } else if (in != null && in.size() == 2 && isId(in.get(0))) {
      for (JsonNode option : in.get(1)) {
        String id = literal(option);
        if (id == null) throw ApiError.badRequest(ONLY_BY_ID);
        ids.add(id);
      }
      return;
    }
    throw ApiError.badRequest(ONLY_BY_ID);
  }

  private static boolean isId(JsonNode operand) {
    return operand.path("$getField").asText("").equals("id");
  }

  private static String literal(JsonNode operand) {
    JsonNode v = operand.get("$literal");
    return v != null && v.isTextual() ? v.asText() : null;
  }
}
