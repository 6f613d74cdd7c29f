package dev.weft.server.store;

import java.util.List;
import java.util.Optional;

/**
 * Artifacts: named, typed collections of files, versioned by content digest. Each write is one
 * transaction; the files' bytes are in {@link #blobs()}, which a version may refer to only once
 * they are stored.
 */
public interface ArtifactStore {
  /** A file of a version: its path in the artifact, SHA-256 and size. */
  record File(String path, String digest, long size) {}

  /**
   * A version. {@code metadata}: JSON text. {@code createdAt}: epoch microseconds.
   * {@code createdByRun}: the run that logged it first, or null.
   */
  record Version(String projectId, String name, String digest, int index, String type, String metadata,
      long size, int fileCount, long createdAt, String createdByRun, List<String> aliases) {}

  /** A version to log; {@code keepLast}: the artifact's retention from now on, or null to leave it. */
  record NewVersion(String projectId, String name, String type, String digest, List<File> files, String metadata,
      List<String> aliases, Integer keepLast, String runId) {}

  /** What a log did: the version, whether it is new, and the versions retention removed. */
  record Logged(Version version, boolean created, List<String> deletedVersions) {}

  /** A run's part in a version's life: {@code logged} or {@code used}, when. */
  record Lineage(String runId, String role, long at) {}

  /** An artifact: its newest version and how many it has. */
  record Summary(String name, String type, int versions, Version latest, Integer keepLast) {}

  /** A version a run logged or used. */
  record RunArtifact(Version version, String role, long at) {}

  /** Some of a version's files are not stored yet: they must be uploaded first. */
  final class MissingBlobs extends RuntimeException {
    public final List<String> digests;

    public MissingBlobs(List<String> digests) {
      super(digests.size() + " file(s) of the version are not uploaded", null, false, false);
      this.digests = digests;
    }
  }

  /**
   * Adds the version, unless a version with the same digest exists (then it is that one); moves
   * {@code latest} and the given aliases to it; records the run that logged it; then keeps the
   * artifact's last {@code keep_last} versions (and any with an alias), removing the blobs no
   * version refers to any more. An artifact keeps its first type: another is refused
   * ({@link IllegalArgumentException}).
   */
  Logged log(NewVersion v);

  /** A version by alias, {@code vN}, or digest (or a prefix of 8 or more of its hex digits). */
  Optional<Version> resolve(String projectId, String name, String version);

  List<File> files(String projectId, String name, String digest);

  /** The runs that logged and used a version, oldest first. */
  List<Lineage> lineage(String projectId, String name, String digest);

  void recordUse(String projectId, String name, String digest, String runId);

  /** A project's artifacts, most recently updated first. */
  List<Summary> list(String projectId);

  /** An artifact's versions, newest first. */
  List<Version> versions(String projectId, String name);

  /** The versions a run logged and used. */
  List<RunArtifact> ofRun(String projectId, String runId);

  /** Sets an artifact's retention (0 keeps all) and applies it now; returns the versions removed. */
  List<String> setKeepLast(String projectId, String name, int keepLast);

  /** Where the files' bytes are. */
  Blobs blobs();

  /**
   * Removes the files uploaded before {@code cutoff} that no version refers to (their log never
   * came: the app stopped in between), and uploads cut off before then; returns how many files.
   */
  int removeUnlogged(java.time.Instant cutoff);
}
