package dev.weft.agent.bootstrap;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Where {@code Weft.artifact} and {@code Weft.useArtifact} go: the weave exporter's artifacts. */
public interface ArtifactSink {
  /**
   * Logs a version of files and directories; returns its digest, or null when it could not be
   * logged (said in the agent's log). {@code keepLast}: the artifact's retention, or null.
   */
  String log(String name, String type, Map<String, ?> metadata, List<String> aliases, Integer keepLast, List<Path> paths);

  /** A version's local directory, downloaded or cached, recorded as used by this run; or null. */
  Path use(String ref);
}
