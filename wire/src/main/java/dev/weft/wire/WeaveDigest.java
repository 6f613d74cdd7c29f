package dev.weft.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Weave's content digest (docs/weave-protocol.md, "Digests"): SHA-256, base64url without padding, with {@code -}
 * turned into {@code X} and {@code _} into {@code Y}. The server digests files and objects with
 * it; the agent, to name its ops by the same refs before any server has seen them.
 */
public final class WeaveDigest {
  private WeaveDigest() {}

  public static String of(byte[] content) {
    try {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(content);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha).replace('-', 'X').replace('_', 'Y');
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
