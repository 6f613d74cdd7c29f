package dev.weft.wire.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.CallsComplete;
import dev.weft.wire.SpoolFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A request whose body is JSON at hand: a spooled file, or a part made from one. It can be split
 * (a batch in halves) and put in the calls_complete form by reading its JSON.
 */
public final class JsonRequest implements Request {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String UPSERT = "/call/upsert_batch";

  private final String path;
  private byte[] plain;
  private final byte[] gzipped;
  private JsonNode tree;
  private final int items;

  private JsonRequest(String path, byte[] plain, byte[] gzipped, JsonNode tree, int items) {
    this.path = path;
    this.plain = plain;
    this.gzipped = gzipped;
    this.tree = tree;
    this.items = items;
  }

  /** A spooled file, as the request it was kept for. */
  public static JsonRequest fromSpoolFile(Path file) throws IOException {
    return new JsonRequest(SpoolFiles.path(file.getFileName().toString()), null, Files.readAllBytes(file), null, 1);
  }

  /** A JSON body as written; read back only if it has to be split or converted. */
  public static JsonRequest of(String path, byte[] json) {
    return new JsonRequest(path, json, null, null, 1);
  }

  public static JsonRequest of(String path, JsonNode body, int items) throws IOException {
    return new JsonRequest(path, JSON.writeValueAsBytes(body), null, body, items);
  }

  @Override
  public String path() {
    return path;
  }

  /** The project of a batch of legacy call items; other routes need none. */
  @Override
  public String project() throws IOException {
    if (!path.equals(UPSERT)) return null;
    JsonNode first = tree().path("batch").path(0).path("req");
    JsonNode fields = first.has("start") ? first.get("start") : first.path("end");
    return fields.path("project_id").isTextual() ? fields.get("project_id").asText() : null;
  }

  @Override
  public Body body() throws IOException {
    if (plain == null) plain = SpoolFiles.uncompressed(gzipped);
    return Body.of(plain);
  }

  @Override
  public byte[] gzipped() {
    return gzipped;
  }

  @Override
  public int items() {
    return items;
  }

  private JsonNode tree() throws IOException {
    if (tree == null) tree = JSON.readTree(body().bytes);
    return tree;
  }

  /** A body with a {@code batch} list of two or more splits into two halves. */
  @Override
  public List<Request> split() throws IOException {
    JsonNode batch = tree().path("batch");
    if (!tree().isObject() || !batch.isArray() || batch.size() < 2) return List.of();
    List<Request> parts = new ArrayList<>();
    int half = batch.size() / 2;
    for (int[] range : new int[][] {{0, half}, {half, batch.size()}}) {
      ObjectNode body = ((ObjectNode) tree()).deepCopy();
      ArrayNode part = body.putArray("batch");
      for (int i = range[0]; i < range[1]; i++) part.add(batch.get(i));
      parts.add(of(path, body, Math.max(1, items * (range[1] - range[0]) / batch.size())));
    }
    return parts;
  }

  @Override
  public List<Request> inCallsCompleteForm() throws IOException {
    if (!path.equals(UPSERT) || !tree().isObject()) return null;
    List<Request> out = new ArrayList<>();
    for (CallsComplete.Part p : CallsComplete.fromUpsertBatch(tree())) out.add(of(p.path, p.body, p.calls));
    return out;
  }
}
