package dev.weft.wire;

/**
 * The agent's spool: one gzip-compressed JSON request body per file, named
 * {@code <millis>-<seq>.<route>.json.gz}, where the route is the request path with its first
 * {@code /} dropped and the next turned into {@code _} ({@code /call/upsert_batch} →
 * {@code call_upsert_batch}). Names sort in the order the files were written.
 */
public final class SpoolFiles {
  public static final String SUFFIX = ".json.gz";

  private SpoolFiles() {}

  public static String name(long epochMillis, long seq, String path) {
    return String.format("%013d-%06d.%s%s", epochMillis, seq, path.replaceAll("^/+", "").replace('/', '_'), SUFFIX);
  }

  /**
   * Whether a server's answer to a gzip-compressed body (a spooled one, or the agent's) means it
   * did not take the encoding: a server that ignores {@code Content-Encoding} reads the bytes as
   * malformed JSON and answers 400, or 422 as FastAPI does; one that says so answers 415. The
   * body is then sent again uncompressed.
   */
  public static boolean refusedCompressed(int status) {
    return status == 400 || status == 415 || status == 422;
  }

  /** A spooled body, decompressed: for a server that does not take it compressed. */
  public static byte[] uncompressed(byte[] spooled) throws java.io.IOException {
    try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(spooled))) {
      return in.readAllBytes();
    }
  }

  /** The request path a spooled file was meant for. */
  public static String path(String fileName) {
    String route = fileName.substring(fileName.indexOf('.') + 1, fileName.length() - SUFFIX.length());
    return "/" + route.replaceFirst("_", "/");
  }
}
