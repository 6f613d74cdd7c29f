package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.ObjectStore;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Weave's object, file, table, ref and feedback routes (docs/weave-protocol.md, "Objects, tables,
 * files, feedback" and "Ops and refs").
 */
public final class ObjectRoutes {
  private final ObjectStore store;
  private final ObjectMapper json;
  private final Bodies bodies;

  public ObjectRoutes(ObjectStore store, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/obj/create", this::createObject);
    app.post("/obj/read", this::readObject);
    app.post("/objs/query", this::queryObjects);
    app.post("/obj/delete", this::deleteObject);
    app.post("/file/create", this::createFile);
    app.post("/files/create", this::createFile);
    app.post("/file/content", this::fileContent);
    app.post("/files/content", this::fileContent);
    app.post("/table/create", this::createTable);
    app.post("/table/query", this::queryTable);
    app.post("/table/query_stats", this::tableStats);
    app.post("/refs/read_batch", this::readRefs);
    app.post("/feedback/create", this::createFeedback);
    app.post("/feedback/batch/create", this::createFeedbackBatch);
    app.post("/feedback/query", this::queryFeedback);
  }

  private void createObject(Context ctx) {
    ObjectNode obj = Fields.object(bodies.object(ctx), "obj");
    String project = Fields.string(obj, "project_id");
    String objectId = Fields.string(obj, "object_id");
    if (!objectId.matches("[A-Za-z0-9._-]{1,128}")) {
      throw ApiError.invalid("object_id: letters, digits, '.', '_' and '-' only, at most 128: " + objectId);
    }
    JsonNode val = obj.get("val");
    if (val == null) throw ApiError.invalid("field required: val");
    ObjectStore.Obj stored = store.createObject(project, objectId, val);
    ctx.json(json.createObjectNode().put("digest", stored.digest()).put("object_id", objectId));
  }

  private void readObject(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    String objectId = Fields.string(body, "object_id");
    String digest = Fields.string(body, "digest");
    ObjectStore.Obj o = store.readObject(project, objectId, digest)
        .orElseThrow(() -> new ApiError(404, "object " + objectId + ":" + digest + " not found in " + project));
    boolean metadataOnly = Fields.optionalBoolean(body, "metadata_only", false);
    ctx.json(json.createObjectNode().set("obj", toJson(o, metadataOnly)));
  }

  private ObjectNode toJson(ObjectStore.Obj o, boolean metadataOnly) {
    ObjectNode n = json.createObjectNode();
    n.put("project_id", o.projectId()).put("object_id", o.objectId())
        .put("created_at", Fields.iso(o.createdAt())).putNull("deleted_at");
    n.put("digest", o.digest()).put("version_index", o.versionIndex()).put("is_latest", o.latest() ? 1 : 0)
        .put("kind", o.kind()).put("base_object_class", o.baseObjectClass())
        .put("leaf_object_class", o.leafObjectClass());
    n.set("val", metadataOnly ? json.createObjectNode() : parse(o.val()));
    n.putNull("wb_user_id");
    n.put("size_bytes", o.sizeBytes());
    return n;
  }

  private void queryObjects(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode f = body.path("filter");
    JsonNode isOp = f.get("is_op");
    List<ObjectStore.Obj> objs = store.queryObjects(Fields.string(body, "project_id"),
        Fields.optionalStrings(f.isObject() ? f : null, "object_ids"),
        Fields.optionalStrings(f.isObject() ? f : null, "base_object_classes"),
        isOp == null || isOp.isNull() ? null : isOp.asBoolean(),
        f.path("latest_only").asBoolean(false), Fields.optionalLong(body, "limit"),
        nonNegative(Fields.optionalLong(body, "offset")));
    ArrayNode out = json.createArrayNode();
    boolean metadataOnly = Fields.optionalBoolean(body, "metadata_only", false);
    for (ObjectStore.Obj o : objs) out.add(toJson(o, metadataOnly));
    ctx.json(json.createObjectNode().set("objs", out));
  }

  private void deleteObject(Context ctx) {
    JsonNode body = bodies.object(ctx);
    int n = store.deleteObject(Fields.string(body, "project_id"), Fields.string(body, "object_id"),
        Fields.optionalStrings(body, "digests"));
    if (n == 0) throw new ApiError(404, "no such object");
    ctx.json(json.createObjectNode().put("num_deleted", n));
  }

  private void createFile(Context ctx) throws IOException {
    String type = ctx.contentType();
    if (type != null && type.startsWith("application/json")) {
      // Weft's JSON form, {"project_id", "content_base64"}: what an agent spools while offline,
      // since its spool holds JSON bodies only.
      JsonNode body = bodies.object(ctx);
      String project = Fields.string(body, "project_id");
      byte[] content;
      try {
        content = java.util.Base64.getDecoder().decode(Fields.string(body, "content_base64"));
      } catch (IllegalArgumentException e) {
        throw ApiError.invalid("content_base64: not base64");
      }
      ctx.json(json.createObjectNode().put("digest", store.putFile(project, content)));
      return;
    }
    String project = ctx.formParam("project_id");
    UploadedFile file = ctx.uploadedFile("file");
    if (project == null || project.isBlank()) throw ApiError.invalid("multipart field required: project_id");
    if (file == null) throw ApiError.invalid("multipart part required: file");
    if (file.size() > bodies.maxBytes()) throw new ApiError(413, "file larger than " + bodies.maxBytes() + " bytes");
    byte[] content;
    try (InputStream in = file.content()) {
      content = in.readAllBytes();
    }
    ctx.json(json.createObjectNode().put("digest", store.putFile(project, content)));
  }

  private void fileContent(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String digest = Fields.string(body, "digest");
    byte[] content = store.readFile(Fields.string(body, "project_id"), digest)
        .orElseThrow(() -> new ApiError(404, "no file " + digest));
    ctx.contentType("application/octet-stream").result(content);
  }

  private void createTable(Context ctx) {
    ObjectNode table = Fields.object(bodies.object(ctx), "table");
    JsonNode rows = table.get("rows");
    if (rows == null || !rows.isArray()) throw ApiError.invalid("table.rows: expected a list");
    List<JsonNode> list = new ArrayList<>();
    for (JsonNode r : rows) {
      if (!r.isObject()) throw ApiError.invalid("table.rows: each row must be an object");
      list.add(r);
    }
    List<String> digests = store.createTable(Fields.string(table, "project_id"), list);
    ObjectNode out = json.createObjectNode().put("digest", digests.get(0));
    ArrayNode rowDigests = out.putArray("row_digests");
    digests.subList(1, digests.size()).forEach(rowDigests::add);
    ctx.json(out);
  }

  private List<ObjectStore.TableRow> rows(JsonNode body) {
    String digest = Fields.string(body, "digest");
    return store.tableRows(Fields.string(body, "project_id"), digest)
        .orElseThrow(() -> new ApiError(404, "no table " + digest));
  }

  private void queryTable(Context ctx) {
    JsonNode body = bodies.object(ctx);
    List<ObjectStore.TableRow> rows = rows(body);
    List<String> only = Fields.optionalStrings(body.path("filter").isObject() ? body.get("filter") : null, "row_digests");
    long offset = nonNegative(Fields.optionalLong(body, "offset"));
    Long limit = Fields.optionalLong(body, "limit");
    ArrayNode out = json.createArrayNode();
    long skipped = 0;
    for (ObjectStore.TableRow r : rows) {
      if (only != null && !only.contains(r.digest())) continue;
      if (skipped++ < offset) continue;
      if (limit != null && out.size() >= limit) break;
      ObjectNode row = out.addObject().put("digest", r.digest());
      row.set("val", parse(r.val()));
      row.put("original_index", r.originalIndex());
    }
    ctx.json(json.createObjectNode().set("rows", out));
  }

  private void tableStats(Context ctx) {
    ctx.json(json.createObjectNode().put("count", rows(bodies.object(ctx)).size()));
  }

  /** Object, op and table refs, with /attr, /key, /index and /id steps into the value. */
  private void readRefs(Context ctx) {
    JsonNode body = bodies.object(ctx);
    List<String> refs = Fields.optionalStrings(body, "refs");
    ArrayNode vals = json.createArrayNode();
    for (String ref : refs == null ? List.<String>of() : refs) vals.add(resolve(ref));
    ctx.json(json.createObjectNode().set("vals", vals));
  }

  private JsonNode resolve(String ref) {
    if (!ref.startsWith("weave:///")) throw ApiError.invalid("not a weave ref: " + ref);
    String[] parts = ref.substring("weave:///".length()).split("/");
    if (parts.length < 4) throw ApiError.invalid("incomplete ref: " + ref);
    String project = parts[0] + "/" + parts[1];
    JsonNode val;
    int next;
    if (parts[2].equals("object") || parts[2].equals("op")) {
      int colon = parts[3].lastIndexOf(':');
      if (colon < 0) throw ApiError.invalid("ref without a digest: " + ref);
      ObjectStore.Obj o = store.readObject(project, parts[3].substring(0, colon), parts[3].substring(colon + 1))
          .orElseThrow(() -> new ApiError(404, "ref not found: " + ref));
      val = parse(o.val());
      next = 4;
    } else if (parts[2].equals("table")) {
      ArrayNode rows = json.createArrayNode();
      store.tableRows(project, parts[3]).orElseThrow(() -> new ApiError(404, "ref not found: " + ref))
          .forEach(r -> rows.add(parse(r.val())));
      val = rows;
      next = 4;
    } else {
      throw ApiError.invalid("unsupported ref kind: " + parts[2]);
    }
    for (int i = next; i + 1 < parts.length; i += 2) {
      String step = parts[i];
      String arg = java.net.URLDecoder.decode(parts[i + 1], java.nio.charset.StandardCharsets.UTF_8);
      if (val.isTextual() && val.asText().startsWith("weave:///")) val = resolve(val.asText());
      switch (step) {
        case "attr": case "key": val = val.path(arg); break;
        case "index": val = val.path(Integer.parseInt(arg)); break;
        case "id": {
          JsonNode found = null;
          if (val.isArray()) {
            for (JsonNode row : val) if (arg.equals(dev.weft.server.store.Digests.objectDigest(row))) found = row;
          }
          val = found == null ? json.nullNode() : found;
          break;
        }
        default: throw ApiError.invalid("unsupported ref step " + step + " in " + ref);
      }
    }
    return val.isMissingNode() ? json.nullNode() : val;
  }

  private ObjectNode feedback(JsonNode req) {
    String project = Fields.string(req, "project_id");
    String weaveRef = Fields.string(req, "weave_ref");
    String type = Fields.string(req, "feedback_type");
    JsonNode payload = req.get("payload");
    if (payload == null || !payload.isObject()) throw ApiError.invalid("payload: expected an object");
    if (type.startsWith("wandb.annotation.") && Fields.optionalString(req, "annotation_ref") == null) {
      throw ApiError.invalid("annotation_ref is required for " + type);
    }
    String id = Fields.optionalString(req, "id");
    ObjectStore.Feedback f = new ObjectStore.Feedback(project, id != null ? id : UUID.randomUUID().toString(),
        weaveRef, type, payload.toString(), Fields.optionalString(req, "creator"),
        System.currentTimeMillis() * 1000, Fields.optionalString(req, "annotation_ref"),
        Fields.optionalString(req, "runnable_ref"), Fields.optionalString(req, "call_ref"),
        Fields.optionalString(req, "trigger_ref"));
    store.createFeedback(f);
    ObjectNode out = json.createObjectNode().put("id", f.id()).put("created_at", Fields.iso(f.createdAt()));
    out.putNull("wb_user_id");
    out.set("payload", payload);
    return out;
  }

  private void createFeedback(Context ctx) {
    ctx.json(feedback(bodies.object(ctx)));
  }

  private void createFeedbackBatch(Context ctx) {
    JsonNode batch = bodies.object(ctx).get("batch");
    if (batch == null || !batch.isArray()) throw ApiError.invalid("field required: batch (a list)");
    ArrayNode res = json.createArrayNode();
    for (JsonNode req : batch) res.add(feedback(req));
    ctx.json(json.createObjectNode().set("res", res));
  }

  private void queryFeedback(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ArrayNode out = json.createArrayNode();
    for (ObjectStore.Feedback f : store.queryFeedback(Fields.string(body, "project_id"),
        Fields.optionalLong(body, "limit"), nonNegative(Fields.optionalLong(body, "offset")))) {
      ObjectNode n = out.addObject().put("id", f.id()).put("project_id", f.projectId())
          .put("weave_ref", f.weaveRef()).put("feedback_type", f.feedbackType())
          .put("creator", f.creator()).put("created_at", Fields.iso(f.createdAt()));
      n.set("payload", parse(f.payload()));
      n.putNull("wb_user_id");
      n.put("annotation_ref", f.annotationRef()).put("runnable_ref", f.runnableRef())
          .put("call_ref", f.callRef()).put("trigger_ref", f.triggerRef());
    }
    ctx.json(json.createObjectNode().set("result", out));
  }

  private static long nonNegative(Long v) {
    if (v != null && v < 0) throw ApiError.invalid("offset must be >= 0");
    return v == null ? 0 : v;
  }

  private JsonNode parse(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return json.nullNode();
    }
  }
}
