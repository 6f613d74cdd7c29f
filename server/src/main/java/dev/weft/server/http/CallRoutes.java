package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.CallView;
import dev.weft.server.query.CallsQuery;
import dev.weft.server.store.CallWrite;
import dev.weft.server.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Weave's call routes (weave-wire.md §3): writing, reading, querying, deleting calls. */
public final class CallRoutes {
  private final Store store;
  private final ObjectMapper json;
  private final Bodies bodies;
  private final CallView view;

  public CallRoutes(Store store, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.json = json;
    this.bodies = bodies;
    this.view = new CallView(json);
  }

  public void register(Javalin app) {
    app.post("/call/start", this::start);
    app.post("/call/end", this::end);
    app.post("/call/upsert_batch", this::upsertBatch);
    app.post("/v2/{entity}/{project}/call/start", this::start);
    app.post("/v2/{entity}/{project}/call/end", this::end);
    app.post("/v2/{entity}/{project}/calls/complete", this::complete);
    app.post("/call/read", this::read);
    app.post("/call/update", this::update);
    app.post("/calls/query", this::query);
    app.post("/calls/stream_query", this::streamQuery);
    app.post("/calls/query_stats", this::queryStats);
    app.post("/calls/delete", this::delete);
  }

  private void start(Context ctx) {
    CallWrite.Start s = parseStart(Fields.object(bodies.object(ctx), "start"));
    store.write(List.of(s));
    ctx.json(json.createObjectNode().put("id", s.id()).put("trace_id", s.traceId()));
  }

  private void end(Context ctx) {
    store.write(List.of(parseEnd(Fields.object(bodies.object(ctx), "end"))));
    ctx.json(json.createObjectNode());
  }

  private void upsertBatch(Context ctx) {
    JsonNode batch = bodies.object(ctx).get("batch");
    if (batch == null || !batch.isArray()) throw ApiError.invalid("field required: batch (a list)");
    List<CallWrite> writes = new ArrayList<>();
    ArrayNode res = json.createArrayNode();
    int i = 0;
    for (JsonNode item : batch) {
      String mode = item.path("mode").asText("");
      JsonNode req = item.get("req");
      try {
        if (mode.equals("start")) {
          CallWrite.Start s = parseStart(Fields.object(req, "start"));
          writes.add(s);
          res.addObject().put("id", s.id()).put("trace_id", s.traceId());
        } else if (mode.equals("end")) {
          writes.add(parseEnd(Fields.object(req, "end")));
          res.addObject();
        } else {
          throw ApiError.invalid("mode: expected start or end");
        }
      } catch (ApiError e) {
        throw new ApiError(e.status, "batch[" + i + "]: " + e.getMessage());
      }
      i++;
    }
    store.write(writes);
    ctx.json(json.createObjectNode().set("res", res));
  }

  /** Master SDKs send start and end of a call in one object. */
  private void complete(Context ctx) {
    JsonNode batch = bodies.object(ctx).get("batch");
    if (batch == null || !batch.isArray()) throw ApiError.invalid("field required: batch (a list)");
    List<CallWrite> writes = new ArrayList<>();
    int i = 0;
    for (JsonNode call : batch) {
      try {
        if (!call.isObject()) throw ApiError.invalid("expected an object");
        writes.add(parseStart(call));
        writes.add(parseEnd(call));
      } catch (ApiError e) {
        throw new ApiError(e.status, "batch[" + i + "]: " + e.getMessage());
      }
      i++;
    }
    store.write(writes);
    ctx.json(json.createObjectNode());
  }

  private CallWrite.Start parseStart(JsonNode s) {
    String id = Fields.optionalString(s, "id");
    String traceId = Fields.optionalString(s, "trace_id");
    return new CallWrite.Start(Fields.string(s, "project_id"), id != null ? id : UUID.randomUUID().toString(),
        traceId != null ? traceId : UUID.randomUUID().toString(), Fields.optionalString(s, "parent_id"),
        Fields.string(s, "op_name"), Fields.optionalString(s, "display_name"),
        Fields.optionalString(s, "thread_id"), Fields.optionalString(s, "turn_id"),
        Fields.timestamp(s, "started_at"), text(Fields.object(s, "attributes")),
        text(Fields.object(s, "inputs")), Fields.optionalString(s, "wb_user_id"),
        Fields.optionalString(s, "wb_run_id"), Fields.optionalLong(s, "wb_run_step"));
  }

  private CallWrite.End parseEnd(JsonNode e) {
    JsonNode output = e.get("output");
    JsonNode exception = e.get("exception");
    if (exception != null && !exception.isNull() && !exception.isTextual()) {
      throw ApiError.invalid("exception: expected a string or null");
    }
    return new CallWrite.End(Fields.string(e, "project_id"), Fields.string(e, "id"),
        Fields.timestamp(e, "ended_at"), output == null || output.isNull() ? null : text(output),
        exception == null || exception.isNull() ? null : exception.asText(),
        text(Fields.object(e, "summary")), Fields.optionalLong(e, "wb_run_step_end"),
        Fields.optionalString(e, "display_name"));
  }

  private String text(JsonNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void read(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ObjectNode out = json.createObjectNode();
    out.set("call", store.read(Fields.string(body, "project_id"), Fields.string(body, "id"))
        .<JsonNode>map(view::toJson).orElse(json.nullNode()));
    ctx.json(out);
  }

  private void update(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    String callId = Fields.string(body, "call_id");
    String name = Fields.optionalString(body, "display_name");
    if (!store.setDisplayName(project, callId, name == null || name.isEmpty() ? null : name)) {
      throw new ApiError(404, "no call " + callId + " in project " + project);
    }
    ctx.json(json.createObjectNode());
  }

  private void query(Context ctx) {
    CallsQuery q = CallsQuery.parse(bodies.object(ctx));
    ArrayNode calls = json.createArrayNode();
    q.run(store, view, calls::add);
    ctx.json(json.createObjectNode().set("calls", calls));
  }

  /** One CallSchema per line, written as the rows stream from the store. */
  private void streamQuery(Context ctx) throws IOException {
    CallsQuery q = CallsQuery.parse(bodies.object(ctx));
    ctx.contentType("application/jsonl");
    OutputStream out = ctx.res().getOutputStream();
    if (q.storeOnly()) {
      com.fasterxml.jackson.core.JsonGenerator g = json.getFactory().createGenerator(new NonClosing(out));
      g.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter("\n"));
      q.runStored(store, call -> {
        try {
          view.write(g, call);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (g.getOutputContext().getEntryCount() > 0) g.writeRaw('\n');
      g.close();
      return;
    }
    q.run(store, view, call -> {
      try {
        json.writeValue(new NonClosing(out), call);
        out.write('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    out.flush();
  }

  private void queryStats(Context ctx) {
    CallsQuery q = CallsQuery.parse(bodies.object(ctx));
    ctx.json(json.createObjectNode().put("count", q.count(store, view)));
  }

  private void delete(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    JsonNode ids = body.get("call_ids");
    if (ids == null || !ids.isArray()) throw ApiError.invalid("field required: call_ids (a list)");
    List<String> list = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isTextual() || id.asText().isBlank()) throw ApiError.invalid("call_ids: expected non-empty strings");
      list.add(id.asText());
    }
    ctx.json(json.createObjectNode().put("num_deleted", store.delete(project, list)));
  }

  /** Lets Jackson write one value without closing the response stream. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {}
  }
}
