package dev.weft.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Weave's content digests (docs/weave-protocol.md, "Digests"), so that identical content gets the
 * digest Weave itself would give: SHA-256, base64url with {@code -}→{@code X}, {@code _}→{@code Y}, no padding;
 * objects hashed as Python's {@code json.dumps(val, sort_keys=True)} writes them.
 */
public final class Digests {
  private Digests() {}

  public static String bytesDigest(byte[] bytes) {
    return dev.weft.wire.WeaveDigest.of(bytes);
  }

  public static String objectDigest(JsonNode val) {
    return bytesDigest(pythonJson(val).getBytes(StandardCharsets.UTF_8));
  }

  /** A table's digest: hex SHA-256 over its row digests, concatenated. */
  public static String tableDigest(List<String> rowDigests) {
    return HexFormat.of().formatHex(sha256(String.join("", rowDigests).getBytes(StandardCharsets.UTF_8)));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code json.dumps(v, sort_keys=True)}: ", " and ": " separators, ASCII only, Python floats. */
  static String pythonJson(JsonNode v) {
    return dev.weft.wire.PythonJson.of(v);
  }
}
