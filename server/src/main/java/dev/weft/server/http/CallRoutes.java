package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.query.CallView;
import dev.weft.server.query.CallsQuery;
import dev.weft.server.query.PriceBook;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.CallWrite;
import dev.weft.server.store.PriceStore;
import dev.weft.server.store.Store;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Weave's call routes (docs/weave-protocol.md, "Calls", "calls_complete mode" and "Queries"):
 * writing, reading, querying, deleting calls.
 */
public final class CallRoutes {
  private final Store store;
  private final PriceStore prices;
  private final ObjectMapper json;
  private final Bodies bodies;
  private final CallView view;
  private final CallParser parser;

  public CallRoutes(Store store, PriceStore prices, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.prices = prices;
    this.json = json;
    this.bodies = bodies;
    this.view = new CallView(json);
    this.parser = new CallParser(json.getFactory());
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
    app.post("/projects/query", this::projects);
  }

  private void projects(Context ctx) {
    var answer = json.createObjectNode();
    var list = answer.putArray("projects");
    for (String p : store.projects()) list.addObject().put("project_id", p);
    ctx.json(answer);
  }

  private void start(Context ctx) {
    CallWrite.Start s = (CallWrite.Start) parser.single(bodies.bytes(ctx), "start");
    store.write(List.of(s));
    ctx.json(json.createObjectNode().put("id", s.id()).put("trace_id", s.traceId()));
  }

  private void end(Context ctx) {
    store.write(List.of(parser.single(bodies.bytes(ctx), "end")));
    ctx.json(json.createObjectNode());
  }

  private void upsertBatch(Context ctx) {
    List<CallWrite> writes = parser.batch(bodies.bytes(ctx));
    store.write(writes);
    // Written as it goes, not built as a tree: a batch may hold thousands of items.
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(16 + writes.size() * 64);
    try (com.fasterxml.jackson.core.JsonGenerator g = json.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("res");
      for (CallWrite w : writes) {
        g.writeStartObject();
        if (w instanceof CallWrite.Start s) {
          g.writeStringField("id", s.id());
          g.writeStringField("trace_id", s.traceId());
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ctx.contentType("application/json").result(out.toByteArray());
  }

  /** Master SDKs send start and end of a call in one object. */
  private void complete(Context ctx) {
    store.write(parser.completed(bodies.bytes(ctx)));
    ctx.json(json.createObjectNode());
  }

  /** The view of a project's calls, with {@code summary.weave.costs} when {@code include_costs} asks. */
  private CallView view(String project, boolean includeCosts) {
    return includeCosts ? view.pricedBy(PriceBook.of(prices.prices(project))) : view;
  }

  private void read(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    CallView v = view(project, Fields.optionalBoolean(body, "include_costs", false));
    ObjectNode out = json.createObjectNode();
    out.set("call", store.read(project, Fields.string(body, "id")).<JsonNode>map(v::toJson).orElse(json.nullNode()));
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
    q.run(store, view(q.projectId(), q.includeCosts()), calls::add);
    ctx.json(json.createObjectNode().set("calls", calls));
  }

  /** One CallSchema per line, written as the rows stream from the store. */
  private void streamQuery(Context ctx) throws IOException {
    CallsQuery q = CallsQuery.parse(bodies.object(ctx));
    CallView view = view(q.projectId(), q.includeCosts());
    ctx.contentType("application/jsonl");
    // Large writes: Jetty sends each one as it comes, and many small ones cost more than the JSON.
    OutputStream out = new java.io.BufferedOutputStream(ctx.res().getOutputStream(), 256 * 1024);
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
      out.flush();
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
