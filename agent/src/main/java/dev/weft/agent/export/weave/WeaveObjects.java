package dev.weft.agent.export.weave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.base.Failures;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.ObjectSink;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Capture;
import dev.weft.wire.PythonJson;
import dev.weft.wire.WeaveDigest;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.JsonRequest;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiConsumer;

/**
 * An evaluation's objects, tables and score feedback, as Weave's SDKs write them
 * ({@code obj/create}, {@code table/create}, {@code feedback/create}). Refs are computed here
 * on the app's thread; the requests wait in a queue the export thread sends, through the same
 * chain as calls (so they are spooled when the server is away, or offline).
 */
final class WeaveObjects implements ObjectSink {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String project;
  private final OpPublisher ops;
  private final Queue<Request> queue = new ConcurrentLinkedQueue<>();

  WeaveObjects(String project, OpPublisher ops) {
    this.project = project;
    this.ops = ops;
  }

  @Override
  public String object(String objectId, String valJson) {
    try {
      JsonNode val = JSON.readTree(valJson);
      ObjectNode obj = JSON.createObjectNode().put("project_id", project).put("object_id", objectId);
      obj.set("val", val);
      queue.add(JsonRequest.of("/obj/create", JSON.createObjectNode().set("obj", obj), 1));
      return "weave:///" + project + "/object/" + objectId + ":" + digest(val);
    } catch (IOException e) {
      Failures.report("publishing object " + objectId, e);
      return null;
    }
  }

  @Override
  public List<String> table(List<String> rowJsons) {
    try {
      ArrayNode rows = JSON.createArrayNode();
      List<String> out = new ArrayList<>(rowJsons.size() + 1);
      out.add(null);
      StringBuilder all = new StringBuilder();
      for (String r : rowJsons) {
        JsonNode row = JSON.readTree(r);
        rows.add(row);
        String d = digest(row);
        out.add(d);
        all.append(d);
      }
      ObjectNode table = JSON.createObjectNode().put("project_id", project);
      table.set("rows", rows);
      queue.add(JsonRequest.of("/table/create", JSON.createObjectNode().set("table", table), 1));
      // A table's digest: hex SHA-256 over its rows' digests, concatenated.
      StringBuilder tableDigest = new StringBuilder(64);
      for (byte b : MessageDigest.getInstance("SHA-256").digest(all.toString().getBytes(StandardCharsets.UTF_8))) {
        tableDigest.append(Character.forDigit(b >> 4 & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      out.set(0, "weave:///" + project + "/table/" + tableDigest);
      return out;
    } catch (Exception e) {
      Failures.report("publishing a table", e);
      return null;
    }
  }

  @Override
  public String opRef(Op op) {
    return ops.refOf(op);
  }

  @Override
  public void scoreFeedback(Call modelCall, String scorer, Object score, String scorerRef, Call scorerCall) {
    try {
      ObjectNode payload = JSON.createObjectNode();
      payload.set("output", JSON.readTree(captured(score)));
      ObjectNode req = JSON.createObjectNode().put("project_id", project)
          .put("weave_ref", callRef(modelCall)).put("feedback_type", "wandb.runnable." + scorer);
      req.set("payload", payload);
      req.put("runnable_ref", scorerRef).put("call_ref", callRef(scorerCall));
      queue.add(JsonRequest.of("/feedback/create", req, 1));
    } catch (IOException e) {
      Failures.report("recording a score as feedback", e);
    }
  }

  private String callRef(Call call) {
    return "weave:///" + project + "/call/" + call.id();
  }

  private static String captured(Object value) throws IOException {
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = Capture.jsonFactory().createGenerator(out)) {
      Capture.write(g, value);
    }
    return out.toString();
  }

  private static String digest(JsonNode val) {
    return WeaveDigest.of(PythonJson.of(val).getBytes(StandardCharsets.UTF_8));
  }

  /** Sends what is queued, oldest first; on the export thread. */
  void send(Client client, BiConsumer<Request, Outcome> outcomes) throws IOException {
    for (Request r; (r = queue.poll()) != null; ) outcomes.accept(r, client.send(r));
  }
}
