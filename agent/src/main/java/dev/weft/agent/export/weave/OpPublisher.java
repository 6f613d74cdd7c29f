package dev.weft.agent.export.weave;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.bootstrap.Op;
import dev.weft.wire.WeaveDigest;
import dev.weft.wire.WeaveOps;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.JsonRequest;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.function.BiConsumer;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.RequestBody;
import okio.Buffer;

/**
 * Publishes each op once, as Weave's SDKs do: its "source" as a file, then the Op object that
 * names the file by digest. Calls name their op by a ref computed here as Weave computes it, so
 * they do so even while the server is away; the op itself then goes from the spool.
 */
final class OpPublisher {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String project;
  private final Client client;
  private final BiConsumer<Request, Outcome> outcomes;
  /** Refs by op id; null until published. Only the export thread writes; senders read. */
  private volatile String[] refs = new String[64];

  /** @param outcomes told of each request's outcome, for counting and logging */
  OpPublisher(String project, Client client, BiConsumer<Request, Outcome> outcomes) {
    this.project = project;
    this.client = client;
    this.outcomes = outcomes;
  }

  /** The op's ref; its plain name before it was published. */
  String ref(Op op) {
    String[] r = refs;
    String ref = op.id < r.length ? r[op.id] : null;
    return ref != null ? ref : op.name;
  }

  /** The ref the op is published under, published or not: its digest is computed, not asked for. */
  String refOf(Op op) {
    return WeaveOps.ref(project, WeaveOps.objectId(op.name), WeaveOps.digest(WeaveDigest.of(source(op))));
  }

  /** The op's stand-in source: Weft has none of the method's to give. */
  private static byte[] source(Op op) {
    return ("// " + op.className + "." + op.methodName + "(" + String.join(", ", op.paramNames) + ")\n"
        + "// traced by Weft as op " + op.name + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Publishes the op unless done already. */
  void publish(Op op) throws IOException {
    String[] r = refs;
    if (op.id < r.length && r[op.id] != null) return;
    byte[] code = source(op);
    String file = WeaveDigest.of(code);
    String objectId = WeaveOps.objectId(op.name);
    if (op.id >= r.length) r = Arrays.copyOf(r, Math.max(op.id + 1, r.length * 2));
    r[op.id] = WeaveOps.ref(project, objectId, WeaveOps.digest(file));
    refs = r;
    send(new FileCreate(project, code));
    send(JsonRequest.of("/obj/create", ("{\"obj\":{\"project_id\":" + JSON.writeValueAsString(project)
        + ",\"object_id\":" + JSON.writeValueAsString(objectId) + ",\"val\":" + WeaveOps.val(file) + "}}")
        .getBytes(StandardCharsets.UTF_8)));
  }

  private void send(Request request) throws IOException {
    outcomes.accept(request, client.send(request));
  }

  /** {@code /file/create} as Weave's SDKs send it, multipart; kept in the spool in Weft's JSON form. */
  private static final class FileCreate implements Request {
    private final String project;
    private final byte[] code;
    private final Body body;
    private final String type;

    FileCreate(String project, byte[] code) throws IOException {
      this.project = project;
      this.code = code;
      MultipartBody multipart = new MultipartBody.Builder().setType(MultipartBody.FORM)
          .addFormDataPart("project_id", project)
          .addFormDataPart("file", "obj.py", RequestBody.create(code, MediaType.get("application/octet-stream"))).build();
      Buffer out = new Buffer();
      multipart.writeTo(out);
      this.body = Body.of(out.readByteArray());
      this.type = multipart.contentType().toString();
    }

    @Override
    public String path() {
      return "/file/create";
    }

    @Override
    public String project() {
      return project;
    }

    @Override
    public Body body() {
      return body;
    }

    @Override
    public Map<String, String> headers() {
      return Map.of("Content-Type", type);
    }

    @Override
    public Request spoolForm() throws IOException {
      return JsonRequest.of("/file/create", JSON.valueToTree(Map.of("project_id", project,
          "content_base64", Base64.getEncoder().encodeToString(code))), 1);
    }
  }
}
