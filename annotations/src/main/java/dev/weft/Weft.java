package dev.weft;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an app says to Weft while it runs: attributes for the current call, metrics for the
 * current call and run.
 *
 * <p>Every method here is a no-op that returns a neutral value when the Weft agent is not
 * attached, so an app compiled against this class runs unchanged, and pays nothing, without it.
 * The agent rewrites these bodies when it starts. None of them ever throws.
 */
public final class Weft {

  private Weft() {}

  /** Whether the agent is attached and tracing. */
  public static boolean isActive() {
    return false;
  }

  /** The id of the innermost traced call on this logical flow, or {@code null} outside one. */
  public static String currentCallId() {
    return null;
  }

  /** The trace id of the current call, or {@code null} outside one. */
  public static String currentTraceId() {
    return null;
  }

  /** The id of this process's run, or {@code null} without the agent. */
  public static String runId() {
    return null;
  }

  /** Adds an attribute to the current call ({@code attributes.<key>}); ignored outside a call. */
  public static void attribute(String key, Object value) {}

  /**
   * Logs metric values. Inside a call they land in its {@code summary.metrics}; they are also
   * appended to the run's metrics history at the next step.
   */
  public static void log(Map<String, ? extends Number> metrics) {}

  /** Like {@link #log(Map)}, at an explicit step of the run's history. */
  public static void log(Map<String, ? extends Number> metrics, long step) {}

  /** Sets a value in the run's summary, e.g. a final score or a categorical breakdown. */
  public static void summary(String key, Object value) {}

  /** Adds entries to the run's config (hyper-parameters, seeds, model names, …). */
  public static void config(Map<String, ?> config) {}

  /** Stores a table in the run: named columns and rows of values. */
  public static void table(String name, List<String> columns, List<? extends List<?>> rows) {}

  /**
   * Logs a version of an artifact (a checkpoint, a model, a dataset, a report): the files given,
   * and every file under the directories given (at the artifact's top level, by their paths
   * inside the directory). The version is named by its content, the SHA-256 of its manifest
   * (each file's path, SHA-256 and size): the same files are the same version, and files the
   * server holds already are not sent again. The run is recorded as its logger, and the alias
   * {@code latest} moves to it.
   *
   * <p>Blocks while the files are hashed and the missing ones uploaded, streamed from disk; when
   * the server is unreachable, or with {@code weft.mode=offline}, the version goes to the spool
   * (with a copy of its files) for the next agent start or {@code weft-server.jar sync}.
   *
   * @return the version's digest (use it as {@code name:DIGEST}); null without the agent (which
   *     then reads no file) or when the server refused the version (the agent's log says why)
   */
  public static String artifact(String name, String type, Path... paths) {
    return null;
  }

  /**
   * {@link #artifact(String, String, Path...)} with metadata (e.g. the epoch and validation
   * loss of a checkpoint) and aliases besides {@code latest} (e.g. {@code best}); an alias moves
   * to this version from any other.
   */
  public static String artifact(String name, String type, Map<String, ?> metadata, List<String> aliases, Path... paths) {
    return null;
  }

  /**
   * {@link #artifact(String, String, Map, List, Path...)} that also sets the artifact's
   * retention: the server keeps its last {@code keepLast} versions (and any other that has an
   * alias), deleting older ones and the files no version needs; 0 keeps all.
   */
  public static String artifact(String name, String type, Map<String, ?> metadata, List<String> aliases, int keepLast,
      Path... paths) {
    return null;
  }

  /**
   * A version of an artifact as a local directory: {@code "name"} or {@code "name:latest"}, any
   * alias, {@code "name:v3"}, or {@code "name:DIGEST"}. Downloaded once into the agent's cache
   * ({@code weft.artifacts.cache_dir}), each file checked against its SHA-256, and reused while
   * the version is the same; the run is recorded as its user. Do not change the files there.
   *
   * @return the directory; null without the agent, or when the version is unknown (the agent's
   *     log says why) or, the server unreachable, not in the cache
   */
  public static Path useArtifact(String ref) {
    return null;
  }
}
