package dev.weft.server.query;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.Fields;
import dev.weft.server.store.StoredCall;

/** A stored call as Weave's CallSchema, with the server-derived {@code summary.weave} fields. */
public final class CallView {
  private final ObjectMapper json;
  /** Prices {@code summary.usage} into {@code summary.weave.costs}; null when costs were not asked for. */
  private final PriceBook prices;

  public CallView(ObjectMapper json) {
    this(json, null);
  }

  private CallView(ObjectMapper json, PriceBook prices) {
    this.json = json;
    this.prices = prices;
  }

  /** This view with {@code summary.weave.costs} ({@code include_costs}), priced by {@code prices}. */
  public CallView pricedBy(PriceBook prices) {
    return new CallView(json, prices);
  }

  /** The call as a JSON tree, for queries that filter or sort on its JSON; see {@link #write}. */
  public ObjectNode toJson(StoredCall c) {
    // Through bytes: the stored JSON is written raw, and must be parsed to be queried.
    try {
      java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(512);
      try (JsonGenerator g = json.getFactory().createGenerator(bytes)) {
        write(g, c);
      }
      return (ObjectNode) json.readTree(bytes.toByteArray());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // Field names encoded once: a trace of 10,000 calls writes each of them 10,000 times.
  private static final SerializedString ID = new SerializedString("id"),
      PROJECT_ID = new SerializedString("project_id"), OP_NAME = new SerializedString("op_name"),
      DISPLAY_NAME = new SerializedString("display_name"), TRACE_ID = new SerializedString("trace_id"),
      PARENT_ID = new SerializedString("parent_id"), THREAD_ID = new SerializedString("thread_id"),
      TURN_ID = new SerializedString("turn_id"), STARTED_AT = new SerializedString("started_at"),
      ATTRIBUTES = new SerializedString("attributes"), INPUTS = new SerializedString("inputs"),
      ENDED_AT = new SerializedString("ended_at"), EXCEPTION = new SerializedString("exception"),
      OUTPUT = new SerializedString("output"), SUMMARY = new SerializedString("summary"),
      WEAVE = new SerializedString("weave"), STATUS = new SerializedString("status"),
      LATENCY_MS = new SerializedString("latency_ms"), TRACE_NAME = new SerializedString("trace_name"),
      WB_USER_ID = new SerializedString("wb_user_id"), WB_RUN_ID = new SerializedString("wb_run_id"),
      WB_RUN_STEP = new SerializedString("wb_run_step"), WB_RUN_STEP_END = new SerializedString("wb_run_step_end"),
      DELETED_AT = new SerializedString("deleted_at");

  /**
   * Writes the call straight to a generator, copying the stored JSON text of attributes, inputs
   * and output as it is.
   */
  public void write(JsonGenerator g, StoredCall c) throws java.io.IOException {
    String displayName = c.displayName() == null || c.displayName().isEmpty() ? null : c.displayName();
    g.writeStartObject();
    string(g, ID, c.id());
    string(g, PROJECT_ID, c.projectId());
    string(g, OP_NAME, c.opName());
    string(g, DISPLAY_NAME, displayName);
    string(g, TRACE_ID, c.traceId());
    string(g, PARENT_ID, c.parentId());
    string(g, THREAD_ID, c.threadId());
    string(g, TURN_ID, c.turnId());
    string(g, STARTED_AT, Fields.iso(c.startedAt()));
    g.writeFieldName(ATTRIBUTES);
    g.writeRawValue(c.attributes() == null ? "{}" : c.attributes());
    g.writeFieldName(INPUTS);
    g.writeRawValue(c.inputs() == null ? "{}" : c.inputs());
    string(g, ENDED_AT, c.endedAt() == null ? null : Fields.iso(c.endedAt()));
    string(g, EXCEPTION, c.exception());
    g.writeFieldName(OUTPUT);
    g.writeRawValue(c.output() == null ? "null" : c.output());
    g.writeFieldName(SUMMARY);
    g.writeStartObject();
    // The usual empty summary is written without parsing it into a tree.
    JsonNode stored = c.summary() == null || c.summary().equals("{}") ? null : parseOr(c.summary(), null);
    if (stored != null && stored.isObject()) {
      for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) stored::fields) {
        if (field.getKey().equals("weave")) continue; // derived below
        g.writeFieldName(field.getKey());
        g.writeTree(field.getValue());
      }
    }
    g.writeFieldName(WEAVE);
    g.writeStartObject();
    string(g, STATUS, status(c, stored));
    if (c.endedAt() != null) {
      g.writeFieldName(LATENCY_MS);
      g.writeNumber((c.endedAt() - c.startedAt()) / 1000);
    }
    if (displayName != null) string(g, DISPLAY_NAME, displayName);
    else string(g, TRACE_NAME, opDisplayName(c.opName()));
    if (prices != null && stored != null && stored.path("usage").isObject() && !stored.get("usage").isEmpty()) {
      g.writeObjectFieldStart("costs");
      for (PriceBook.ModelCost m : prices.costs(stored.get("usage"), c.startedAt())) writeCost(g, m);
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeEndObject();
    string(g, WB_USER_ID, c.wbUserId());
    string(g, WB_RUN_ID, c.wbRunId());
    g.writeFieldName(WB_RUN_STEP);
    if (c.wbRunStep() == null) g.writeNull(); else g.writeNumber(c.wbRunStep());
    g.writeFieldName(WB_RUN_STEP_END);
    if (c.wbRunStepEnd() == null) g.writeNull(); else g.writeNumber(c.wbRunStepEnd());
    g.writeFieldName(DELETED_AT);
    g.writeNull();
    g.writeEndObject();
  }

  /**
   * One model's entry in {@code summary.weave.costs}: Weave's LLMCostSchema, with its cache fields.
   * Unpriced, the tokens are there and every price and cost is null.
   */
  private static void writeCost(JsonGenerator g, PriceBook.ModelCost m) throws java.io.IOException {
    g.writeObjectFieldStart(m.model());
    g.writeNumberField("requests", m.requests());
    g.writeNumberField("prompt_tokens", m.promptTokens());
    g.writeNumberField("completion_tokens", m.completionTokens());
    g.writeNumberField("total_tokens", m.totalTokens());
    g.writeNumberField("cache_read_input_tokens", m.cacheReadInputTokens());
    g.writeNumberField("cache_creation_input_tokens", m.cacheCreationInputTokens());
    var p = m.price();
    number(g, "prompt_tokens_total_cost", p == null ? null : m.promptTokensTotalCost());
    number(g, "completion_tokens_total_cost", p == null ? null : m.completionTokensTotalCost());
    number(g, "cache_read_input_tokens_total_cost", p == null ? null : m.cacheReadInputTokensTotalCost());
    number(g, "cache_creation_input_tokens_total_cost", p == null ? null : m.cacheCreationInputTokensTotalCost());
    number(g, "prompt_token_cost", p == null ? null : p.promptTokenCost());
    number(g, "completion_token_cost", p == null ? null : p.completionTokenCost());
    number(g, "cache_read_input_token_cost", p == null ? null : m.cacheReadInputTokenCost());
    number(g, "cache_creation_input_token_cost", p == null ? null : m.cacheCreationInputTokenCost());
    g.writeStringField("prompt_token_cost_unit", p == null ? null : p.promptTokenCostUnit());
    g.writeStringField("completion_token_cost_unit", p == null ? null : p.completionTokenCostUnit());
    g.writeStringField("effective_date", p == null ? null : Fields.iso(p.effectiveDate()));
    g.writeStringField("provider_id", p == null ? null : p.providerId());
    boolean own = p != null && p.projectId() != null;
    g.writeStringField("pricing_level", p == null ? null : own ? "project" : PriceBook.DEFAULT);
    g.writeStringField("pricing_level_id", p == null ? null : own ? p.projectId() : PriceBook.DEFAULT);
    g.writeStringField("created_at", p == null ? null : Fields.iso(p.createdAt()));
    g.writeStringField("created_by", p == null ? null : p.createdBy());
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, Double value) throws java.io.IOException {
    g.writeFieldName(name);
    if (value == null) g.writeNull(); else g.writeNumber(value);
  }

  private static void string(JsonGenerator g, SerializedString name, String value) throws java.io.IOException {
    g.writeFieldName(name);
    if (value == null) g.writeNull(); else g.writeString(value);
  }

  private static String status(StoredCall c, JsonNode summary) {
    if (c.exception() != null) return "error";
    if (c.endedAt() == null) return "running";
    if (summary != null && summary.path("status_counts").path("error").asLong(0) > 0) return "descendant_error";
    return "success";
  }

  /** {@code weave:///e/p/op/name:digest} → {@code name}; a plain op name as it is. */
  public static String opDisplayName(String opName) {
    if (opName == null) return null;
    if (!opName.startsWith("weave:///")) return opName;
    int op = opName.indexOf("/op/");
    if (op < 0) return opName;
    String rest = opName.substring(op + 4);
    int colon = rest.lastIndexOf(':');
    return colon < 0 ? rest : rest.substring(0, colon);
  }

  private JsonNode parseOr(String text, JsonNode fallback) {
    if (text == null) return fallback;
    try {
      return json.readTree(text);
    } catch (Exception e) {
      return fallback;
    }
  }
}
