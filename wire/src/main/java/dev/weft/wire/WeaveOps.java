package dev.weft.wire;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An op as Weave stores it (docs/weave-protocol.md, "Ops and refs"): an object whose value names
 * the op's source file by digest, and the {@code weave:///} ref calls name it by. The agent
 * computes refs itself, so calls can name their op before any server has seen it; the server's
 * OTLP route publishes ops for span names.
 */
public final class WeaveOps {
  /** Weave object ids allow letters, digits, '.', '_' and '-'. */
  private static final int MAX_OBJECT_ID = 128;

  private WeaveOps() {}

  /**
   * The op object's value for a source file, as Weave's digest reads it: Python's
   * {@code json.dumps(val, sort_keys=True)}, with its separators.
   */
  public static String val(String fileDigest) {
    return "{\"_type\": \"CustomWeaveType\", \"files\": {\"obj.py\": \"" + fileDigest
        + "\"}, \"weave_type\": {\"type\": \"Op\"}}";
  }

  /** The digest of {@link #val}: the version part of the op's ref. */
  public static String digest(String fileDigest) {
    return WeaveDigest.of(val(fileDigest).getBytes(StandardCharsets.UTF_8));
  }

  /** {@code weave:///entity/project/op/name:digest}. */
  public static String ref(String project, String objectId, String digest) {
    return "weave:///" + project + "/op/" + objectId + ":" + digest;
  }

  /** An op name as an object id: other characters become '_', at most 128 of them. */
  public static String objectId(String opName) {
    String s = opName.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > MAX_OBJECT_ID ? s.substring(0, MAX_OBJECT_ID) : s;
  }

  /**
   * The object id Weave's server gives the op of spans with this name: spaces and '/' become
   * '_', '<' and '>' go, lower case; Weft then maps what is left outside {@link #objectId}'s set.
   */
  public static String spanOpId(String spanName) {
    String safe = spanName.replace(' ', '_').replace('/', '_').replace("<", "").replace(">", "").toLowerCase(Locale.ROOT);
    return safe.isEmpty() ? "span" : objectId(safe).replaceAll("[^a-z0-9._-]", "_");
  }
}
