package dev.weft.agent.export.weave;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.ArtifactSink;
import dev.weft.agent.capture.Capture;
import dev.weft.wire.artifact.ArtifactClient;
import dev.weft.wire.artifact.ArtifactSpool;
import dev.weft.wire.artifact.Manifest;
import dev.weft.wire.client.Notes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code Weft.artifact} and {@code Weft.useArtifact} on a Weft server: versions logged with only
 * the files the server lacks, streamed; versions used from a local cache, one folder per digest;
 * both kept in the spool's {@code artifacts/} folder when the server is away or the agent is
 * offline, and uploaded at the next start (or by {@code weft-server.jar sync}).
 */
public final class Artifacts implements ArtifactSink {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Notes LOG = LogNotes.LOG;

  private final String project;
  private final String runId;
  private final boolean offline;
  private final Path cache;
  private final ArtifactClient client;
  private final ArtifactSpool spool;

  /** @param cache where used versions are kept: {@code cache/<name>/<digest>/} */
  public Artifacts(String endpoint, String project, String apiKey, Path spoolDir, long spoolMaxBytes, boolean offline,
      String runId, Path cache) {
    this.project = project;
    this.runId = runId;
    this.offline = offline;
    this.cache = cache;
    this.client = new ArtifactClient(new OkHttpArtifactHttp(endpoint, apiKey));
    this.spool = new ArtifactSpool(spoolDir, spoolMaxBytes);
    if (!offline) uploadSpooledInBackground();
  }

  /** What an earlier run kept in the spool goes up beside this one's work, as its calls do. */
  private void uploadSpooledInBackground() {
    Thread t = new Thread(() -> {
      try {
        if (spool.isEmpty()) return;
        ArtifactSpool.Result r = spool.upload(client, LOG);
        if (r.uploaded > 0) Log.info("uploaded " + r.uploaded + " spooled artifact log(s) and use(s) from " + spool.dir());
      } catch (IOException | RuntimeException e) {
        Log.warn("could not upload the spooled artifacts in " + spool.dir() + ": " + e);
      }
    }, "weft-artifacts-upload");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public String log(String name, String type, Map<String, ?> metadata, List<String> aliases, Integer keepLast,
      List<Path> paths) {
    Manifest.Scanned scanned;
    ObjectNode body;
    try {
      scanned = Manifest.scan(paths);
      body = ArtifactClient.logBody(project, name, type, scanned.manifest, metadata == null ? null : captured(metadata),
          aliases, keepLast, runId);
    } catch (IOException | IllegalArgumentException e) {
      Log.warn("Weft.artifact(" + name + "): " + e.getMessage() + "; nothing logged");
      return null;
    }
    String digest = scanned.manifest.digest();
    if (!offline) {
      try {
        ArtifactClient.Logged l = client.log(body, scanned.files);
        JsonNode v = l.version;
        Log.info("artifact " + name + ":" + v.path("version").asText() + " (" + digest.substring(0, 12) + ", "
            + scanned.manifest.entries().size() + " file(s)) " + (v.path("created").asBoolean() ? "logged" : "was logged before")
            + "; sent " + l.filesSent + " file(s), " + l.bytesSent + " bytes");
        return digest;
      } catch (ArtifactClient.Refused e) {
        Log.warn("the trace server refused artifact " + name + ": " + e.getMessage());
        return null;
      } catch (IOException e) {
        Log.warn("could not send artifact " + name + " (" + e.getMessage() + "); keeping it in the spool");
      }
    }
    try {
      spool.keepLog(body, scanned.files);
      Log.info("artifact " + name + " (" + digest.substring(0, 12) + ") kept in " + spool.dir() + " for a later upload");
      return digest;
    } catch (IOException e) {
      Log.warn("could not keep artifact " + name + " in the spool: " + e.getMessage() + "; it is lost");
      return null;
    }
  }

  @Override
  public Path use(String ref) {
    ArtifactClient.Ref r;
    try {
      r = ArtifactClient.Ref.parse(ref);
    } catch (IllegalArgumentException e) {
      Log.warn("Weft.useArtifact(" + ref + "): " + e.getMessage());
      return null;
    }
    Path dir = cache.resolve(r.name);
    if (!offline) {
      try {
        JsonNode v = client.read(project, r, runId);
        Path local = client.downloadToCache(v, dir);
        remember(dir, r.version, v.path("digest").asText());
        return local;
      } catch (ArtifactClient.Refused e) {
        Log.warn("Weft.useArtifact(" + ref + "): " + e.getMessage());
        return null;
      } catch (IOException e) {
        Log.warn("Weft.useArtifact(" + ref + "): could not reach the trace server (" + e.getMessage() + "); looking in the cache");
      }
    }
    String digest = cached(dir, r.version);
    if (digest == null) {
      Log.warn("Weft.useArtifact(" + ref + "): not in the cache " + dir + ", and the server cannot be asked");
      return null;
    }
    ObjectNode use = JSON.createObjectNode().put("project_id", project).put("name", r.name).put("version", digest);
    if (runId != null) use.put("run_id", runId);
    try {
      spool.keepUse(use);
    } catch (IOException e) {
      Log.warn("could not keep the use of " + ref + " in the spool: " + e.getMessage());
    }
    return dir.resolve(digest);
  }

  /** Which digest an alias or {@code vN} named when last asked, for offline use. */
  private void remember(Path dir, String version, String digest) {
    if (Manifest.isDigest(version)) return;
    try {
      Path refs = Files.createDirectories(dir.resolve(".refs").resolve(project.replaceAll("[^A-Za-z0-9._-]", "_")));
      Files.write(refs.resolve(version), digest.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      Log.debug("could not note " + version + " in the artifact cache: " + e.getMessage());
    }
  }

  /** The digest of a cached version: named by a digest (or its start), or an alias noted when online. */
  private String cached(Path dir, String version) {
    try {
      Path noted = dir.resolve(".refs").resolve(project.replaceAll("[^A-Za-z0-9._-]", "_")).resolve(version);
      if (Files.isRegularFile(noted)) {
        String d = new String(Files.readAllBytes(noted), StandardCharsets.UTF_8).trim();
        if (Files.isDirectory(dir.resolve(d))) return d;
      }
      if (!version.matches("[0-9a-f]{8,64}") || !Files.isDirectory(dir)) return null;
      try (DirectoryStream<Path> all = Files.newDirectoryStream(dir, version + "*")) {
        for (Path p : all) if (Manifest.isDigest(p.getFileName().toString()) && Files.isDirectory(p)) return p.getFileName().toString();
      }
    } catch (IOException e) {
      Log.debug("could not read the artifact cache " + dir + ": " + e.getMessage());
    }
    return null;
  }

  /** The app's metadata as JSON, captured as inputs are (redacted, bounded). */
  private static JsonNode captured(Map<String, ?> metadata) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      for (Map.Entry<String, ?> e : metadata.entrySet()) {
        g.writeFieldName(String.valueOf(e.getKey()));
        Capture.write(g, Capture.value(e.getValue()));
      }
      g.writeEndObject();
    }
    return JSON.readTree(out.toByteArray());
  }
}
