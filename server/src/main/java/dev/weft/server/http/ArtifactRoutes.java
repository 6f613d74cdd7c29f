package dev.weft.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.request.Fields;
import dev.weft.server.store.ArtifactStore;
import dev.weft.server.store.Blobs;
import dev.weft.wire.artifact.ArtifactClient;
import dev.weft.wire.artifact.Manifest;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Artifacts (docs/server-api.md, "Artifacts"): files uploaded and downloaded as streams by
 * SHA-256, versions logged by manifest, read by alias, {@code vN} or digest, with the runs that
 * logged and used them.
 */
public final class ArtifactRoutes {
  private static final Pattern RANGE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d{1,18})\\s*-\\s*(\\d{0,18})\\s*");
  private final ArtifactStore store;
  private final ObjectMapper json;
  private final Bodies bodies;

  public ArtifactRoutes(ArtifactStore store, ObjectMapper json, Bodies bodies) {
    this.store = store;
    this.json = json;
    this.bodies = bodies;
  }

  public void register(Javalin app) {
    app.post("/artifact/blobs/missing", this::missing);
    app.put("/artifact/blob/{digest}", this::upload);
    app.get("/artifact/blob/{digest}", this::download);
    app.post("/artifact/log", this::log);
    app.post("/artifact/read", ctx -> read(ctx, false));
    app.post("/artifact/use", ctx -> read(ctx, true));
    app.post("/artifact/versions", this::versions);
    app.post("/artifact/retention/update", this::retention);
    app.post("/artifacts/query", this::query);
    app.post("/artifacts/of_run", this::ofRun);
  }

  private void missing(Context ctx) {
    JsonNode body = bodies.object(ctx);
    JsonNode digests = body.path("digests");
    if (!digests.isArray()) throw ApiError.invalid("digests: expected a list of SHA-256 digests");
    ArrayNode missing = json.createArrayNode();
    for (JsonNode d : digests) {
      if (!Manifest.isDigest(d.asText(null))) throw ApiError.badRequest("not a SHA-256 digest: " + d);
      if (!store.blobs().has(d.asText())) missing.add(d.asText());
    }
    ctx.json(json.createObjectNode().set("missing", missing));
  }

  /** The body goes to disk as it arrives, hashed on the way: never whole in memory, nor bound by --max-body-mb. */
  private void upload(Context ctx) throws IOException {
    String digest = digest(ctx);
    boolean gzip = "gzip".equalsIgnoreCase(String.valueOf(ctx.header("Content-Encoding")).trim());
    long declared = gzip ? -1 : ctx.req().getContentLengthLong();
    try (InputStream raw = ctx.req().getInputStream(); InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw) {
      long size = store.blobs().receive(digest, in, declared);
      ctx.json(json.createObjectNode().put("digest", digest).put("size", size));
    } catch (Blobs.Mismatch e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  /**
   * A blob whole, or from a byte on ({@code Range: bytes=FROM-} or {@code FROM-TO}, one range),
   * so a download cut off on the way goes on where it broke.
   */
  private void download(Context ctx) throws IOException {
    String digest = digest(ctx);
    Path file = store.blobs().path(digest);
    if (!Files.isRegularFile(file)) throw new ApiError(404, "no file " + digest);
    long size = Files.size(file);
    ctx.disableCompression(); // checkpoints and datasets are mostly incompressible, and long
    ctx.contentType("application/octet-stream");
    ctx.header("Accept-Ranges", "bytes");
    ctx.header("Cache-Control", "private, max-age=31536000, immutable"); // named by its content
    String filename = ctx.queryParam("filename");
    if (filename != null) {
      ctx.header("Content-Disposition", "attachment; filename=\"" + filename.replaceAll("[^A-Za-z0-9._ -]", "_") + "\"");
    }
    long[] range = range(ctx.header("Range"), size);
    if (range == null) {
      ctx.header("Content-Length", String.valueOf(size));
      ctx.result(Files.newInputStream(file));
      return;
    }
    if (range.length == 0) {
      ctx.header("Content-Range", "bytes */" + size);
      throw new ApiError(416, "the range " + ctx.header("Range") + " is not within the file's " + size + " bytes");
    }
    InputStream in = Files.newInputStream(file);
    in.skipNBytes(range[0]);
    ctx.status(206);
    ctx.header("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + size);
    ctx.header("Content-Length", String.valueOf(range[1] - range[0] + 1));
    ctx.result(new BoundedInputStream(in, range[1] - range[0] + 1));
  }

  /**
   * A {@code Range} header as {first, last} byte, both included; null for none or one this route
   * serves whole (several ranges, another unit, unparsable: RFC 9110 lets it ignore those); an
   * empty array for a range past the end.
   */
  static long[] range(String header, long size) {
    if (header == null) return null;
    Matcher m = RANGE.matcher(header);
    if (!m.matches()) return null;
    long first = Long.parseLong(m.group(1));
    long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
    if (first >= size || last < first) return new long[0];
    return new long[] {first, last};
  }

  /** At most {@code left} bytes of a stream, then its end. */
  private static final class BoundedInputStream extends java.io.FilterInputStream {
    private long left;

    BoundedInputStream(InputStream in, long left) {
      super(in);
      this.left = left;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) return -1;
      int b = super.read();
      if (b >= 0) left--;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) return -1;
      int n = super.read(b, off, (int) Math.min(len, left));
      if (n > 0) left -= n;
      return n;
    }
  }

  private static String digest(Context ctx) {
    String digest = ctx.pathParam("digest");
    if (!Manifest.isDigest(digest)) throw ApiError.badRequest("not a SHA-256 digest (64 lower-case hex digits): " + digest);
    return digest;
  }

  private void log(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    String name = Fields.string(body, "name");
    String type = Fields.string(body, "type");
    if (!body.path("manifest").isArray()) throw ApiError.invalid("manifest: expected a list of {path, digest, size}");
    Manifest manifest;
    List<String> aliases = Fields.optionalStrings(body, "aliases");
    Long keepLast = Fields.optionalLong(body, "keep_last");
    try {
      ArtifactClient.checkName("artifact name", name);
      ArtifactClient.checkName("artifact type", type);
      manifest = ArtifactClient.manifestOf(body);
      if (aliases != null) for (String a : aliases) if (!a.equals("latest")) ArtifactClient.checkAlias(a);
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    String claimed = Fields.optionalString(body, "digest");
    if (claimed != null && !claimed.equals(manifest.digest())) {
      throw ApiError.badRequest("digest " + claimed + " is not the manifest's (" + manifest.digest() + ")");
    }
    if (keepLast != null && (keepLast < 0 || keepLast > 1_000_000)) throw ApiError.invalid("keep_last: 0 (keep all) or more");
    ObjectNode metadata = Fields.optionalObject(body, "metadata");
    List<ArtifactStore.File> files = new ArrayList<>();
    for (Manifest.Entry e : manifest.entries()) files.add(new ArtifactStore.File(e.path, e.digest, e.size));
    List<String> userAliases = new ArrayList<>();
    if (aliases != null) for (String a : aliases) if (!a.equals("latest") && !userAliases.contains(a)) userAliases.add(a);
    ArtifactStore.Logged logged;
    try {
      logged = store.log(new ArtifactStore.NewVersion(project, name, type, manifest.digest(), files,
          metadata == null ? "{}" : metadata.toString(), userAliases, keepLast == null ? null : keepLast.intValue(),
          Fields.optionalString(body, "run_id")));
    } catch (ArtifactStore.MissingBlobs e) {
      ObjectNode answer = json.createObjectNode().put("detail", e.getMessage() + ": upload them to /artifact/blob/{digest} first");
      e.digests.forEach(answer.putArray("missing")::add);
      ctx.status(409).json(answer);
      return;
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
    ObjectNode answer = version(logged.version(), false);
    answer.put("created", logged.created());
    logged.deletedVersions().forEach(answer.putArray("deleted_versions")::add);
    ctx.json(answer);
  }

  private void read(Context ctx, boolean use) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    String name = Fields.string(body, "name");
    String version = Fields.optionalString(body, "version");
    String run = use ? Fields.string(body, "run_id") : null;
    ArtifactStore.Version v = resolve(project, name, version == null ? "latest" : version);
    if (use) store.recordUse(project, name, v.digest(), run);
    ctx.json(json.createObjectNode().set("artifact", version(v, true)));
  }

  private ArtifactStore.Version resolve(String project, String name, String version) {
    try {
      return store.resolve(project, name, version).orElseThrow(() ->
          new ApiError(404, "no artifact " + name + ":" + version + " in " + project));
    } catch (IllegalArgumentException e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  private void versions(Context ctx) {
    JsonNode body = bodies.object(ctx);
    String project = Fields.string(body, "project_id");
    ArrayNode out = json.createArrayNode();
    for (ArtifactStore.Version v : store.versions(project, Fields.string(body, "name"))) out.add(version(v, false));
    ctx.json(json.createObjectNode().set("versions", out));
  }

  private void retention(Context ctx) {
    JsonNode body = bodies.object(ctx);
    Long keep = Fields.optionalLong(body, "keep_last");
    if (keep == null || keep < 0 || keep > 1_000_000) throw ApiError.invalid("keep_last: 0 (keep all) or more");
    List<String> deleted = store.setKeepLast(Fields.string(body, "project_id"), Fields.string(body, "name"), keep.intValue());
    ObjectNode answer = json.createObjectNode().put("keep_last", keep);
    deleted.forEach(answer.putArray("deleted_versions")::add);
    ctx.json(answer);
  }

  private void query(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ArrayNode out = json.createArrayNode();
    for (ArtifactStore.Summary s : store.list(Fields.string(body, "project_id"))) {
      ObjectNode a = out.addObject().put("name", s.name()).put("type", s.type()).put("versions", s.versions());
      if (s.keepLast() != null) a.put("keep_last", s.keepLast());
      a.set("latest", version(s.latest(), false));
    }
    ctx.json(json.createObjectNode().set("artifacts", out));
  }

  private void ofRun(Context ctx) {
    JsonNode body = bodies.object(ctx);
    ObjectNode answer = json.createObjectNode();
    ArrayNode logged = answer.putArray("logged"), used = answer.putArray("used");
    for (ArtifactStore.RunArtifact r : store.ofRun(Fields.string(body, "project_id"), Fields.string(body, "run_id"))) {
      (r.role().equals("used") ? used : logged).add(version(r.version(), false).put("at", Fields.iso(r.at())));
    }
    ctx.json(answer);
  }

  /** A version as the routes answer it; {@code whole}: with its files and lineage. */
  private ObjectNode version(ArtifactStore.Version v, boolean whole) {
    ObjectNode o = json.createObjectNode().put("name", v.name()).put("type", v.type()).put("version", "v" + v.index())
        .put("version_index", v.index()).put("digest", v.digest()).put("size", v.size()).put("file_count", v.fileCount())
        .put("created_at", Fields.iso(v.createdAt())).put("created_by_run", v.createdByRun());
    v.aliases().forEach(o.putArray("aliases")::add);
    try {
      o.set("metadata", json.readTree(v.metadata()));
    } catch (IOException e) {
      o.putObject("metadata");
    }
    if (whole) {
      ArrayNode files = o.putArray("files");
      for (ArtifactStore.File f : store.files(v.projectId(), v.name(), v.digest())) {
        files.addObject().put("path", f.path()).put("digest", f.digest()).put("size", f.size());
      }
      ArrayNode logged = o.putArray("logged_by"), used = o.putArray("used_by");
      for (ArtifactStore.Lineage l : store.lineage(v.projectId(), v.name(), v.digest())) {
        (l.role().equals("used") ? used : logged).addObject().put("run_id", l.runId()).put("at", Fields.iso(l.at()));
      }
    }
    return o;
  }
}
