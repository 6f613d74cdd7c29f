package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Fields;
import dev.weft.server.store.CallFilter;
import dev.weft.server.store.Store;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A calls query (docs/weave-protocol.md, "Queries"): filters and ordering the store can do in SQL
 * go to the store; the query language, ref filters and ordering by paths inside JSON run here,
 * over the rows the store returns.
 */
public final class CallsQuery {
  /** Fields every returned call keeps, whatever {@code columns} asks for. */
  private static final Set<String> ALWAYS = Set.of("id", "project_id", "trace_id", "op_name", "started_at");

  record Sort(String field, String[] path, boolean descending) {}

  private final CallFilter filter;
  private final List<String> inputRefs;
  private final List<String> outputRefs;
  private final Expr expr;
  private final List<Sort> sort;
  private final Long limit;
  private final long offset;
  private final Set<String> columns;
  private final boolean includeCosts;

  private CallsQuery(CallFilter filter, List<String> inputRefs, List<String> outputRefs, Expr expr,
      List<Sort> sort, Long limit, long offset, Set<String> columns, boolean includeCosts) {
    this.filter = filter;
    this.inputRefs = inputRefs;
    this.outputRefs = outputRefs;
    this.expr = expr;
    this.sort = sort;
    this.limit = limit;
    this.offset = offset;
    this.columns = columns;
    this.includeCosts = includeCosts;
  }

  /** Reactions to filter by: short, and nothing a LIKE pattern or JSON text would read otherwise. */
  private static List<String> emojis(List<String> emojis) {
    if (emojis != null) {
      for (String e : emojis) {
        if (e.isEmpty() || e.length() > 16 || e.chars().anyMatch(c -> c == '"' || c == '\\' || c == '%' || c == '_')) {
          throw ApiError.invalid("filter.feedback_emojis: reactions such as \"👍\", up to 16 characters");
        }
      }
    }
    return emojis;
  }

  public static CallsQuery parse(JsonNode body) {
    String project = Fields.string(body, "project_id");
    JsonNode f = body.path("filter");
    if (!f.isMissingNode() && !f.isNull() && !f.isObject()) throw ApiError.invalid("filter: expected an object");
    Expr expr = null;
    String status = null;
    List<List<CallFilter.TextMatch>> text = null;
    JsonNode q = body.get("query");
    if (q != null && !q.isNull()) {
      if (!q.has("$expr")) throw ApiError.invalid("query: expected {\"$expr\": …}");
      expr = Expr.parse(q.get("$expr"));
      status = statusCondition(q.get("$expr"));
      text = textConditions(q.get("$expr"));
    }
    CallFilter filter = new CallFilter(project, Fields.optionalStrings(f, "op_names"),
        Fields.optionalStrings(f, "parent_ids"), Fields.optionalStrings(f, "trace_ids"),
        Fields.optionalStrings(f, "call_ids"), Fields.optionalStrings(f, "thread_ids"),
        Fields.optionalStrings(f, "turn_ids"), Fields.optionalStrings(f, "wb_user_ids"),
        Fields.optionalStrings(f, "wb_run_ids"),
        f.isObject() && Fields.optionalBoolean(f, "trace_roots_only", false), status, text,
        Fields.optionalStrings(f, "feedback_types"), emojis(Fields.optionalStrings(f, "feedback_emojis")));
    List<Sort> sort = parseSort(body);
    if (sort.isEmpty()) sort.add(new Sort("started_at", new String[] {"started_at"}, false));
    Long limit = Fields.optionalLong(body, "limit");
    Long offset = Fields.optionalLong(body, "offset");
    if (limit != null && limit < 0 || offset != null && offset < 0) throw ApiError.invalid("limit and offset must be >= 0");
    List<String> cols = Fields.optionalStrings(body, "columns");
    Set<String> columns = null;
    if (cols != null) {
      columns = new HashSet<>(ALWAYS);
      for (String c : cols) columns.add(c.split("\\.")[0]);
    }
    return new CallsQuery(filter, Fields.optionalStrings(f.isObject() ? f : null, "input_refs"),
        Fields.optionalStrings(f.isObject() ? f : null, "output_refs"), expr, sort, limit,
        offset == null ? 0 : offset, columns, Fields.optionalBoolean(body, "include_costs", false));
  }

  /** Whether the calls are to carry {@code summary.weave.costs}. */
  public boolean includeCosts() {
    return includeCosts;
  }

  /** The project asked about. */
  public String projectId() {
    return filter.projectId();
  }

  /** {@code sort_by}: a list of {@code {"field", "direction": "asc"|"desc"}}; empty when absent. */
  static List<Sort> parseSort(JsonNode body) {
    List<Sort> sort = new ArrayList<>();
    JsonNode sortBy = body.get("sort_by");
    if (sortBy != null && !sortBy.isNull()) {
      if (!sortBy.isArray()) throw ApiError.invalid("sort_by: expected a list");
      for (JsonNode s : sortBy) {
        String field = Fields.string(s, "field");
        String dir = s.path("direction").asText("asc");
        if (!dir.equals("asc") && !dir.equals("desc")) throw ApiError.invalid("sort_by.direction: asc or desc");
        sort.add(new Sort(field, field.split("\\."), dir.equals("desc")));
      }
    }
    return sort;
  }

  /**
   * The status a query requires, when it says {@code summary.weave.status == X} (alone or as a
   * term of a top-level {@code $and}), so the store can narrow by it in SQL before the query
   * language runs over what is left; null otherwise. The condition itself still runs.
   */
  private static String statusCondition(JsonNode expr) {
    for (JsonNode term : conjuncts(expr)) {
      JsonNode eq = term.get("$eq");
      if (eq == null || !eq.isArray() || eq.size() != 2) continue;
      for (int i = 0; i < 2; i++) {
        JsonNode field = eq.get(i).get("$getField");
        JsonNode literal = eq.get(1 - i).get("$literal");
        if (field != null && field.asText().equals("summary.weave.status") && literal != null && literal.isTextual()) {
          return literal.asText();
        }
      }
    }
    return null;
  }

  /** The terms a call must meet all of: those of a top-level {@code $and} (nested ones too), else the expression. */
  private static List<JsonNode> conjuncts(JsonNode expr) {
    JsonNode and = expr.get("$and");
    if (and == null || !and.isArray()) return List.of(expr);
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode term : and) out.addAll(conjuncts(term));
    return out;
  }

  /**
   * Case-blind {@code $contains} conditions the store can narrow by in SQL: on {@code op_name},
   * {@code display_name}, or {@code inputs}/{@code output} converted to strings, with a plain
   * ASCII term (letters, digits, {@code _ . -}), where SQL over the stored text finds the calls
   * the query language would (but for text that spells an ASCII letter as a {@code \\u} escape,
   * or a sign such as the Kelvin sign that Java lower-cases to a letter). Each of the
   * {@link #conjuncts} that is one such condition, or an {@code $or} of them, becomes a group.
   * Null when there are none; the query language still runs over what is left.
   */
  private static List<List<CallFilter.TextMatch>> textConditions(JsonNode expr) {
    List<List<CallFilter.TextMatch>> groups = new ArrayList<>();
    for (JsonNode term : conjuncts(expr)) {
      JsonNode or = term.get("$or");
      List<CallFilter.TextMatch> group = new ArrayList<>();
      for (JsonNode option : or != null && or.isArray() ? or : List.of(term)) {
        CallFilter.TextMatch m = textMatch(option);
        if (m == null) {
          group = null; // one option SQL cannot judge: the whole group stays with the query language
          break;
        }
        group.add(m);
      }
      if (group != null && !group.isEmpty()) groups.add(group);
    }
    return groups.isEmpty() ? null : groups;
  }

  private static CallFilter.TextMatch textMatch(JsonNode node) {
    JsonNode c = node.get("$contains");
    if (c == null || !c.path("case_insensitive").asBoolean(false)) return null;
    String term = c.path("substr").path("$literal").asText(null);
    if (term == null || !term.matches("[A-Za-z0-9_.-]+")) return null;
    JsonNode input = c.path("input");
    String column = input.path("$getField").asText(null);
    if (column == null) {
      JsonNode convert = input.path("$convert");
      if (!convert.path("to").asText("").equals("string")) return null;
      column = convert.path("input").path("$getField").asText(null);
      if (!"inputs".equals(column) && !"output".equals(column)) return null;
    } else if (!column.equals("op_name") && !column.equals("display_name")) {
      return null;
    }
    return new CallFilter.TextMatch(column, term.toLowerCase(java.util.Locale.ROOT));
  }

  private boolean storeCanOrder() {
    return sort.stream().allMatch(s -> Store.SORTABLE.contains(s.field()));
  }

  private boolean needsPostFilter() {
    return expr != null || inputRefs != null || outputRefs != null;
  }

  private List<Store.Order> storeOrder() {
    List<Store.Order> out = new ArrayList<>();
    if (storeCanOrder()) for (Sort s : sort) out.add(new Store.Order(s.field(), s.descending()));
    return out;
  }

  /**
   * Whether the store alone answers this query (no query language, refs, JSON-path ordering or
   * column selection), so rows can be streamed as stored, without building JSON trees.
   */
  public boolean storeOnly() {
    return storeCanOrder() && !needsPostFilter() && columns == null;
  }

  /** For {@link #storeOnly()} queries: the stored rows, in order. */
  public void runStored(Store store, java.util.function.Consumer<dev.weft.server.store.StoredCall> sink) {
    store.scan(filter, storeOrder(), limit, offset, c -> {
      sink.accept(c);
      return true;
    });
  }

  /** Sends each matching call, in order, to {@code sink}. */
  public void run(Store store, CallView view, Consumer<ObjectNode> sink) {
    if (storeCanOrder() && !needsPostFilter()) {
      store.scan(filter, storeOrder(), limit, offset, c -> {
        sink.accept(project(view.toJson(c)));
        return true;
      });
      return;
    }
    List<ObjectNode> matched = new ArrayList<>();
    boolean ordered = storeCanOrder();
    long[] skip = {offset};
    long[] left = {limit == null ? Long.MAX_VALUE : limit};
    if (left[0] == 0) return;
    store.scan(filter, storeOrder(), null, 0, c -> {
      ObjectNode call = view.toJson(c);
      if (!matches(call)) return true;
      if (!ordered) {
        matched.add(call);
        return true;
      }
      // Rows come in order already: page them as they stream.
      if (skip[0] > 0) {
        skip[0]--;
        return true;
      }
      sink.accept(project(call));
      return --left[0] > 0;
    });
    if (ordered) return;
    matched.sort(comparator());
    long end = limit == null ? matched.size() : Math.min(matched.size(), offset + limit);
    for (long i = offset; i < end; i++) sink.accept(project(matched.get((int) i)));
  }

  public long count(Store store, CallView view) {
    if (!needsPostFilter()) return store.count(filter);
    long[] n = {0};
    store.scan(filter, List.of(), null, 0, c -> {
      if (matches(view.toJson(c))) n[0]++;
      return true;
    });
    return n[0];
  }

  private boolean matches(ObjectNode call) {
    if (expr != null && !expr.test(call)) return false;
    if (inputRefs != null && !containsAny(call.get("inputs"), inputRefs)) return false;
    return outputRefs == null || containsAny(call.get("output"), outputRefs);
  }

  private static boolean containsAny(JsonNode node, List<String> refs) {
    if (node == null) return false;
    if (node.isTextual()) return refs.contains(node.asText());
    for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
      if (containsAny(it.next(), refs)) return true;
    }
    return false;
  }

  private ObjectNode project(ObjectNode call) {
    if (columns != null) call.retain(columns);
    return call;
  }

  /**
   * Numbers before strings before other values, and nulls or missing values last, in both
   * directions; the direction orders values of one kind. Then by id.
   */
  private Comparator<ObjectNode> comparator() {
    Comparator<ObjectNode> c = (a, b) -> 0;
    for (Sort s : sort) {
      c = c.thenComparing((a, b) -> compareValues(Expr.get(a, s.path()), Expr.get(b, s.path()), s.descending()));
    }
    boolean lastDesc = sort.get(sort.size() - 1).descending();
    return c.thenComparing((a, b) -> lastDesc
        ? b.get("id").asText().compareTo(a.get("id").asText())
        : a.get("id").asText().compareTo(b.get("id").asText()));
  }

  static int compareValues(JsonNode a, JsonNode b, boolean descending) {
    int ra = rank(a), rb = rank(b);
    if (ra != rb) return Integer.compare(ra, rb);
    int c;
    if (ra == 4) c = 0;
    else if (ra == 0) c = Double.compare(a.asDouble(), b.asDouble());
    else if (ra == 1) c = a.asText().compareTo(b.asText());
    else if (ra == 2) c = Boolean.compare(a.asBoolean(), b.asBoolean());
    else c = a.toString().compareTo(b.toString());
    return descending ? -c : c;
  }

  private static int rank(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) return 4;
    if (v.isNumber()) return 0;
    if (v.isTextual()) return 1;
    if (v.isBoolean()) return 2;
    return 3;
  }
}
