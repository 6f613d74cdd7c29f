package dev.weft.server.store;

/**
 * A call's op key: a 64-bit hash of its project and its op name without the version, which the op
 * index holds instead of the name itself. Weave op names are refs of about 100 characters
 * ({@code weave:///entity/project/op/name:digest}); a key keeps the index a third of the size,
 * and every write cheaper. Any version of an op shares its key, so {@code name:*} queries use
 * the index too. Different ops rarely share a key, and queries check the name as well.
 *
 * <p>The keys are stored: this function must never change (FNV-1a over the UTF-16 code units).
 */
final class OpKeys {
  private OpKeys() {}

  static long of(String projectId, String opName) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, projectId, projectId.length());
    h = (h ^ '\n') * 0x100000001b3L;
    int version = opName.lastIndexOf(':'); // a ref's digest, or the * of any version
    return mix(h, opName, version < 0 ? opName.length() : version);
  }

  private static long mix(long h, String s, int end) {
    for (int i = 0; i < end; i++) h = (h ^ s.charAt(i)) * 0x100000001b3L;
    return h;
  }
}
