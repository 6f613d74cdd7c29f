package dev.weft.wire.artifact;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Logs and fetches artifact versions on a Weft server (docs/server-api.md, "Artifacts"): the
 * agent's {@code Weft.artifact}/{@code useArtifact}, the spool's upload and the server's
 * {@code artifact} command all go through it. A log sends only the files the server lacks; a
 * fetch checks every file's SHA-256 as it streams to disk.
 */
public final class ArtifactClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern VERSION_INDEX = Pattern.compile("v[0-9]+");

  /** The server refused a request for good (4xx): its status and {@code detail}. */
  public static final class Refused extends Exception {
    public final int status;

    public Refused(int status, String detail) {
      super(detail, null, false, false);
      this.status = status;
    }
  }

  /** What a log did: the server's answer, and the files and bytes sent to it. */
  public static final class Logged {
    public final JsonNode version;
    public final int filesSent;
    public final long bytesSent;

    Logged(JsonNode version, int filesSent, long bytesSent) {
      this.version = version;
      this.filesSent = filesSent;
      this.bytesSent = bytesSent;
    }
  }

  /** {@code NAME[:VERSION]}: VERSION an alias ({@code latest} without one), {@code vN}, or a digest. */
  public static final class Ref {
    public final String name;
    public final String version;

    private Ref(String name, String version) {
      this.name = name;
      this.version = version;
    }

    public static Ref parse(String ref) {
      if (ref == null) throw new IllegalArgumentException("an artifact reference is NAME or NAME:VERSION");
      int colon = ref.lastIndexOf(':');
      String name = colon < 0 ? ref : ref.substring(0, colon);
      String version = colon < 0 ? "latest" : ref.substring(colon + 1);
      checkName("artifact name", name);
      checkName("version", version);
      return new Ref(name, version);
    }

    @Override
    public String toString() {
      return name + ":" + version;
    }
  }

  private final ArtifactHttp http;

  public ArtifactClient(ArtifactHttp http) {
    this.http = http;
  }

  /** Names, types and aliases: a letter or digit, then letters, digits, {@code . _ -}; at most 128. */
  public static void checkName(String what, String s) {
    if (s == null || !NAME.matcher(s).matches()) {
      throw new IllegalArgumentException(what + " '" + s + "': use letters, digits, '.', '_' and '-' (at most 128),"
          + " starting with a letter or digit");
    }
  }

  /** An alias the user sets: a name, but not {@code latest} (the server moves it) nor {@code vN}. */
  public static void checkAlias(String alias) {
    checkName("alias", alias);
    if (VERSION_INDEX.matcher(alias).matches()) throw new IllegalArgumentException("alias '" + alias + "' looks like a version number");
  }

  /** The body of {@code /artifact/log}. {@code keepLast}: the artifact's retention, or null to leave it. */
  public static ObjectNode logBody(String project, String name, String type, Manifest manifest, JsonNode metadata,
      List<String> aliases, Integer keepLast, String runId) {
    checkName("artifact name", name);
    checkName("artifact type", type);
    ObjectNode body = JSON.createObjectNode();
    body.put("project_id", project);
    body.put("name", name);
    body.put("type", type);
    body.put("digest", manifest.digest());
    ArrayNode files = body.putArray("manifest");
    for (Manifest.Entry e : manifest.entries()) files.addObject().put("path", e.path).put("digest", e.digest).put("size", e.size);
    if (metadata != null && metadata.isObject()) body.set("metadata", metadata);
    ArrayNode a = body.putArray("aliases");
    for (String alias : aliases) {
      if (alias.equals("latest")) continue;
      checkAlias(alias);
      a.add(alias);
    }
    if (keepLast != null) {
      if (keepLast < 0) throw new IllegalArgumentException("keepLast must be 0 (keep all) or more");
      body.put("keep_last", keepLast);
    }
    if (runId != null) body.put("run_id", runId);
    return body;
  }

  /** The manifest a log body carries. */
  public static Manifest manifestOf(JsonNode body) {
    List<Manifest.Entry> entries = new ArrayList<>();
    for (JsonNode f : body.path("manifest")) {
      entries.add(new Manifest.Entry(f.path("path").asText(null), f.path("digest").asText(null), f.path("size").asLong(-1)));
    }
    return Manifest.of(entries);
  }

  /**
   * Sends the files of {@code body}'s manifest that the server lacks, from {@code blobs} (a local
   * file by digest), then logs the version. A blob that went missing on the server meanwhile
   * (retention) is sent, and the log tried again, once.
   */
  public Logged log(ObjectNode body, Map<String, Path> blobs) throws IOException, Refused {
    Set<String> digests = new LinkedHashSet<>();
    for (JsonNode f : body.path("manifest")) digests.add(f.path("digest").asText());
    ObjectNode ask = JSON.createObjectNode();
    ask.put("project_id", body.path("project_id").asText());
    ArrayNode list = ask.putArray("digests");
    digests.forEach(list::add);
    JsonNode missing = post("/artifact/blobs/missing", ask).path("missing");
    long[] sent = new long[2];
    send(missing, blobs, sent);
    Reply answer = postAnswer("/artifact/log", body);
    if (answer.raw.status == 409 && answer.json.has("missing")) {
      send(answer.json.get("missing"), blobs, sent);
      answer = postAnswer("/artifact/log", body);
    }
    return new Logged(answer.ok(), (int) sent[0], sent[1]);
  }

  private void send(JsonNode digests, Map<String, Path> blobs, long[] sent) throws IOException, Refused {
    for (JsonNode d : digests) {
      Path file = blobs.get(d.asText());
      if (file == null) throw new Refused(400, "the server lacks file " + d.asText() + " and it is not here to send");
      ArtifactHttp.Answer a = http.put("/artifact/blob/" + d.asText(), file);
      check(a);
      sent[0]++;
      sent[1] += Files.size(file);
    }
  }

  /**
   * A version by name and version (alias, {@code vN} or digest); with {@code usedByRun}, the
   * server records that the run used it.
   */
  public JsonNode read(String project, Ref ref, String usedByRun) throws IOException, Refused {
    ObjectNode body = JSON.createObjectNode();
    body.put("project_id", project);
    body.put("name", ref.name);
    body.put("version", ref.version);
    if (usedByRun != null) body.put("run_id", usedByRun);
    return post(usedByRun != null ? "/artifact/use" : "/artifact/read", body).get("artifact");
  }

  /**
   * Downloads {@code version}'s files into {@code dir}, each streamed to a temporary file,
   * checked against its SHA-256, then moved into place. Files already there with the right
   * size and digest are kept.
   */
  public void download(JsonNode version, Path dir) throws IOException, Refused {
    Manifest manifest = manifestOf(version.path("files").isArray() ? filesAsBody(version) : version);
    Files.createDirectories(dir);
    Path root = dir.toAbsolutePath().normalize();
    for (Manifest.Entry e : manifest.entries()) {
      Path target = root.resolve(e.path).normalize();
      if (!target.startsWith(root)) throw new Refused(400, "file path " + e.path + " leaves the directory");
      if (Files.isRegularFile(target) && Files.size(target) == e.size
          && Manifest.sha256(target, new long[1]).equals(e.digest)) continue;
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempFile(target.getParent(), ".weft-", ".part");
      try {
        fetchBlob(e.digest, e.size, tmp);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
  }

  /**
   * Downloads {@code version} into {@code cache/<digest>} unless it is there already: into a
   * temporary directory beside it first, renamed once complete, so a directory named by a digest
   * always holds that version whole. Returns the directory.
   */
  public Path downloadToCache(JsonNode version, Path cache) throws IOException, Refused {
    String digest = version.path("digest").asText();
    if (!Manifest.isDigest(digest)) throw new Refused(400, "the server named no digest for this version");
    Path target = cache.resolve(digest);
    if (Files.isDirectory(target)) return target;
    Files.createDirectories(cache);
    Path tmp = Files.createTempDirectory(cache, ".download-");
    try {
      download(version, tmp);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // another JVM put the same version there first: the same bytes
      }
      return target;
    } finally {
      deleteTree(tmp);
    }
  }

  private static JsonNode filesAsBody(JsonNode version) {
    ObjectNode b = JSON.createObjectNode();
    b.set("manifest", version.get("files"));
    return b;
  }

  /** Tries of one file's download; a connection lost on the way is taken up where it broke. */
  static final int DOWNLOAD_TRIES = 5;

  private void fetchBlob(String digest, long size, Path to) throws IOException, Refused {
    MessageDigest md = Manifest.sha256();
    long total = 0;
    byte[] buf = new byte[1 << 20];
    for (int attempt = 1; ; attempt++) {
      try (ArtifactHttp.Download d = http.get("/artifact/blob/" + digest, total)) {
        if (d.status != 200 && d.status != 206) {
          String text = d.body == null ? "" : new String(d.body.readNBytes(4096), java.nio.charset.StandardCharsets.UTF_8);
          check(new ArtifactHttp.Answer(d.status, text));
        }
        boolean append = d.status == 206 && total > 0;
        if (!append) { // the whole file, from its start
          md.reset();
          total = 0;
        }
        try (InputStream in = d.body; OutputStream out = append
            ? Files.newOutputStream(to, StandardOpenOption.APPEND) : Files.newOutputStream(to)) {
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
            out.write(buf, 0, n);
            total += n;
          }
        }
        break;
      } catch (IOException e) {
        if (attempt >= DOWNLOAD_TRIES) throw e;
        sleepBeforeTry(attempt);
      }
    }
    String got = Manifest.hex(md.digest());
    if (total != size || !got.equals(digest)) {
      throw new IOException("file " + digest + " arrived as " + total + " bytes with SHA-256 " + got + "; expected "
          + size + " bytes");
    }
  }

  private static void sleepBeforeTry(int attempt) throws IOException {
    try {
      Thread.sleep(250L << Math.min(attempt, 4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while downloading", e);
    }
  }

  /** POSTs {@code body}; a 2xx answer's JSON. */
  public JsonNode post(String path, ObjectNode body) throws IOException, Refused {
    return postAnswer(path, body).ok();
  }

  private Reply postAnswer(String path, ObjectNode body) throws IOException, Refused {
    ArtifactHttp.Answer a = http.post(path, JSON.writeValueAsBytes(body));
    if (a.status == 409) return new Reply(a, JSON.readTree(a.body));
    check(a);
    return new Reply(a, JSON.readTree(a.body));
  }

  /** A 2xx passes; a 4xx is {@link Refused}; anything else (5xx: the store is away) is worth another try later. */
  private static void check(ArtifactHttp.Answer a) throws IOException, Refused {
    if (a.status >= 200 && a.status < 300) return;
    String detail = a.body;
    try {
      JsonNode j = JSON.readTree(a.body);
      if (j != null && j.hasNonNull("detail")) detail = j.get("detail").asText();
    } catch (IOException e) {
      // not JSON: the text as it is
    }
    if (a.status >= 400 && a.status < 500 && a.status != 408 && a.status != 429) throw new Refused(a.status, detail);
    throw new IOException("the server answered " + a.status + ": " + detail);
  }

  /** An answer and its JSON: 2xx, or a 409 that names what is missing. */
  private static final class Reply {
    final ArtifactHttp.Answer raw;
    final JsonNode json;

    Reply(ArtifactHttp.Answer raw, JsonNode json) {
      this.raw = raw;
      this.json = json;
    }

    JsonNode ok() throws IOException, Refused {
      check(raw);
      return json;
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    }
  }
}
