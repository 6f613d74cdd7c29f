package dev.weft.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The agent's spool: one gzip-compressed JSON request body per file, named
 * {@code <millis>-<seq>.<route>.json.gz}. The route is the request path without its first
 * {@code /}: a path of two segments with the other {@code /} as {@code _}
 * ({@code /call/upsert_batch} → {@code call_upsert_batch}, as earlier versions wrote them), a
 * longer one with each {@code /} as {@code ~} ({@code /v2/acme/demo/calls/complete} →
 * {@code v2~acme~demo~calls~complete}; W&B names have no {@code ~}). Names sort in the order the
 * files were written. What the server refused for good goes to {@code rejected/}.
 */
public final class SpoolFiles {
  public static final String SUFFIX = ".json.gz";
  public static final String REJECTED = "rejected";

  private SpoolFiles() {}

  public static String name(long epochMillis, long seq, String path) {
    String route = path.replaceAll("^/+", "");
    route = route.indexOf('/') == route.lastIndexOf('/') ? route.replace('/', '_') : route.replace('/', '~');
    return String.format("%013d-%06d.%s%s", epochMillis, seq, route, SUFFIX);
  }

  /** The request path a spooled file was meant for. */
  public static String path(String fileName) {
    String route = fileName.substring(fileName.indexOf('.') + 1, fileName.length() - SUFFIX.length());
    return "/" + (route.indexOf('~') >= 0 ? route.replace('~', '/') : route.replaceFirst("_", "/"));
  }

  /** The spooled files in {@code dir}, oldest first; none when there is no such directory. */
  public static List<Path> list(Path dir) throws IOException {
    List<Path> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) return out;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path f : files) out.add(f);
    }
    Collections.sort(out);
    return out;
  }

  /** Moves a file the server refused for good into {@code rejected/}, beside the spool, to look at. */
  public static Path reject(Path file) throws IOException {
    Path dir = Files.createDirectories(file.resolveSibling(REJECTED));
    return Files.move(file, dir.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }

  /** A spooled body, decompressed. */
  public static byte[] uncompressed(byte[] spooled) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(spooled))) {
      return in.readAllBytes();
    }
  }
}
