package dev.weft.wire.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An artifact version's contents: each file's path in the artifact, SHA-256 and size, sorted by
 * path. The version's digest is the SHA-256 of the manifest's canonical text, one line per file,
 * {@code <sha256> <size> <path>\n} in path order: the same files are the same version, wherever
 * and whenever they are logged (docs/server-api.md, "Artifacts").
 */
public final class Manifest {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /** One file of a version. */
  public static final class Entry {
    public final String path;
    public final String digest;
    public final long size;

    public Entry(String path, String digest, long size) {
      this.path = path;
      this.digest = digest;
      this.size = size;
    }
  }

  private final List<Entry> entries;
  private final String digest;

  private Manifest(List<Entry> sorted) {
    this.entries = Collections.unmodifiableList(sorted);
    StringBuilder text = new StringBuilder();
    for (Entry e : sorted) text.append(e.digest).append(' ').append(e.size).append(' ').append(e.path).append('\n');
    this.digest = hex(sha256().digest(text.toString().getBytes(StandardCharsets.UTF_8)));
  }

  /** A manifest of these entries; a bad path, digest or size, or a path twice, is refused. */
  public static Manifest of(List<Entry> entries) {
    if (entries.isEmpty()) throw new IllegalArgumentException("an artifact needs at least one file");
    TreeMap<String, Entry> byPath = new TreeMap<>();
    for (Entry e : entries) {
      checkPath(e.path);
      if (e.digest == null || !HEX64.matcher(e.digest).matches()) {
        throw new IllegalArgumentException("file " + e.path + ": digest must be 64 lower-case hex digits (SHA-256)");
      }
      if (e.size < 0) throw new IllegalArgumentException("file " + e.path + ": negative size");
      if (byPath.put(e.path, e) != null) throw new IllegalArgumentException("file " + e.path + " is in the artifact twice");
    }
    return new Manifest(new ArrayList<>(byPath.values()));
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The version's digest: SHA-256 of the canonical text, 64 hex digits. */
  public String digest() {
    return digest;
  }

  public long size() {
    long total = 0;
    for (Entry e : entries) total += e.size;
    return total;
  }

  /** Whether {@code s} is a SHA-256 in lower-case hex, as blobs and versions are named. */
  public static boolean isDigest(String s) {
    return s != null && HEX64.matcher(s).matches();
  }

  /**
   * A path inside an artifact: relative, {@code /}-separated, without empty, {@code .} or
   * {@code ..} segments, so that writing it under a directory stays under that directory.
   */
  public static void checkPath(String path) {
    if (path == null || path.isEmpty() || path.length() > 1024) {
      throw new IllegalArgumentException("a file path in an artifact must have 1 to 1024 characters");
    }
    if (path.startsWith("/") || path.indexOf('\\') >= 0 || path.indexOf('\0') >= 0 || path.contains(":")) {
      throw new IllegalArgumentException("file path " + path + " must be relative, with / between its parts");
    }
    for (String part : path.split("/", -1)) {
      if (part.isEmpty() || part.equals(".") || part.equals("..")) {
        throw new IllegalArgumentException("file path " + path + " has an empty, . or .. part");
      }
    }
  }

  /** A manifest made from local files, and where each file's content is. */
  public static final class Scanned {
    public final Manifest manifest;
    /** A local file with each digest's content. */
    public final Map<String, Path> files;

    Scanned(Manifest manifest, Map<String, Path> files) {
      this.manifest = manifest;
      this.files = files;
    }
  }

  /**
   * Hashes local files, each read once in 1 MiB pieces (never whole in memory): a file is named
   * by its file name, a directory's files by their paths inside it (its contents at the
   * artifact's top, as W&B's {@code add_dir} puts them).
   */
  public static Scanned scan(List<Path> paths) throws IOException {
    List<Entry> entries = new ArrayList<>();
    Map<String, Path> files = new LinkedHashMap<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        List<Path> inside;
        try (Stream<Path> walk = Files.walk(p)) {
          inside = walk.filter(Files::isRegularFile).sorted().collect(java.util.stream.Collectors.toList());
        }
        for (Path f : inside) add(entries, files, p.relativize(f).toString().replace(java.io.File.separatorChar, '/'), f);
      } else if (Files.isRegularFile(p)) {
        add(entries, files, p.getFileName().toString(), p);
      } else {
        throw new java.nio.file.NoSuchFileException(p.toString(), null, "no such file or directory");
      }
    }
    return new Scanned(of(entries), files);
  }

  private static void add(List<Entry> entries, Map<String, Path> files, String path, Path file) throws IOException {
    long[] size = new long[1];
    String digest = sha256(file, size);
    entries.add(new Entry(path, digest, size[0]));
    files.putIfAbsent(digest, file);
  }

  /** The SHA-256 of a file, read in pieces; its size in {@code size[0]}. */
  public static String sha256(Path file, long[] size) throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[1 << 20];
    long total = 0;
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        total += n;
      }
    }
    size[0] = total;
    return hex(md.digest());
  }

  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public static String hex(byte[] bytes) {
    StringBuilder s = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) s.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
    return s.toString();
  }
}
