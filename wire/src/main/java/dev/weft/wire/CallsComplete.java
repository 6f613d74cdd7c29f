package dev.weft.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calls_complete form of writing calls (docs/weave-protocol.md, "calls_complete mode"): a
 * call that has ended goes whole, start and end fields in one object, through
 * {@code /v2/{entity}/{project}/calls/complete}; a running one goes through
 * {@code /v2/{entity}/{project}/call/start}, and its end through {@code .../call/end} with its
 * {@code started_at}. Hosted Weave takes only this form for a project once it has been written
 * to in it.
 */
public final class CallsComplete {
  private CallsComplete() {}

  public static String completePath(String project) {
    return v2(project) + "/calls/complete";
  }

  public static String startPath(String project) {
    return v2(project) + "/call/start";
  }

  public static String endPath(String project) {
    return v2(project) + "/call/end";
  }

  private static String v2(String project) {
    int slash = project.indexOf('/');
    String entity = slash > 0 ? project.substring(0, slash) : project;
    String name = slash > 0 ? project.substring(slash + 1) : project;
    return "/v2/" + segment(entity) + "/" + segment(name);
  }

  /** Percent-encodes what is not safe in a path segment (W&B names are letters, digits, '-', '_' and '.'). */
  private static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xFF);
      if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '.') out.append(c);
      else out.append('%').append(String.format("%02X", b & 0xFF));
    }
    return out.toString();
  }

  /** One request of the calls_complete form: its path and body. */
  public static final class Part {
    public final String path;
    public final String project;
    public final JsonNode body;
    public final int calls;

    Part(String path, String project, JsonNode body, int calls) {
      this.path = path;
      this.project = project;
      this.body = body;
      this.calls = calls;
    }
  }

  /**
   * The calls of a {@code /call/upsert_batch} body in the calls_complete form: a start and an end
   * of one call make one complete call (one calls/complete request per project); a start alone
   * goes through call/start, an end alone through call/end, one request each.
   */
  public static List<Part> fromUpsertBatch(JsonNode upsertBody) {
    Map<String, ObjectNode[]> byCall = new LinkedHashMap<>();
    JsonNode batch = upsertBody.path("batch");
    for (JsonNode item : batch) {
      String mode = item.path("mode").asText();
      JsonNode fields = item.path("req").path(mode);
      if (!fields.isObject() || !(mode.equals("start") || mode.equals("end"))) continue;
      String key = fields.path("project_id").asText() + "\n" + fields.path("id").asText();
      ObjectNode[] pair = byCall.computeIfAbsent(key, k -> new ObjectNode[2]);
      pair[mode.equals("start") ? 0 : 1] = (ObjectNode) fields;
    }
    Map<String, List<JsonNode>> complete = new LinkedHashMap<>();
    List<Part> parts = new ArrayList<>();
    for (ObjectNode[] pair : byCall.values()) {
      ObjectNode start = pair[0], end = pair[1];
      String project = (start != null ? start : end).path("project_id").asText();
      if (start != null && end != null) {
        complete.computeIfAbsent(project, p -> new ArrayList<>()).add(merge(start, end));
      } else if (start != null) {
        parts.add(new Part(startPath(project), project, wrap("start", start), 1));
      } else {
        parts.add(new Part(endPath(project), project, wrap("end", end), 1));
      }
    }
    List<Part> out = new ArrayList<>();
    complete.forEach((project, calls) -> {
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.putArray("batch").addAll(calls);
      out.add(new Part(completePath(project), project, body, calls.size()));
    });
    out.addAll(parts);
    return out;
  }

  /** A start's fields with its end's on top (display_name only when the end sets one). */
  private static ObjectNode merge(ObjectNode start, ObjectNode end) {
    ObjectNode call = start.deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = end.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (f.getKey().equals("display_name") && f.getValue().isNull()) continue;
      call.set(f.getKey(), f.getValue());
    }
    return call;
  }

  private static ObjectNode wrap(String field, ObjectNode fields) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.set(field, fields);
    return body;
  }
}
