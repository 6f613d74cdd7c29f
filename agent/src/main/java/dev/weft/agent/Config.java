package dev.weft.agent;

import dev.weft.agent.base.Log;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every setting of the agent, with its default and its one-line doc, in one place.
 *
 * <p>A value comes from, in order: the agent arguments ({@code -javaagent:weft-agent.jar=k=v,k=v}
 * or {@code attach <pid> k=v ...}), the system property {@code weft.<key>}, the environment
 * variable {@code WEFT_<KEY>} (upper case, dots as underscores), else the default.
 */
public final class Config {

  /** One setting. */
  public static final class Key {
    public final String name;
    public final String defaultValue;
    public final String doc;

    private Key(String name, String defaultValue, String doc) {
      this.name = name;
      this.defaultValue = defaultValue;
      this.doc = doc;
    }

    public String property() {
      return "weft." + name;
    }

    public String env() {
      return "WEFT_" + name.toUpperCase(Locale.ROOT).replace('.', '_');
    }
  }

  private static final List<Key> KEYS = new ArrayList<>();

  public static final Key ENABLED =
      key("enabled", "true", "Set to false and nothing is woven: the app runs as without the agent.");
  public static final Key EXPORTERS =
      key("exporters", "weave", "Comma list of where calls go: weave, otlp, console, jsonl, none.");
  public static final Key PROJECT =
      key("project", "weft/default", "The Weave project, as entity/project (else WANDB_ENTITY/WANDB_PROJECT).");
  public static final Key ENDPOINT =
      key("endpoint", "http://127.0.0.1:6345", "Trace server of the weave exporter (else WF_TRACE_SERVER_URL).");
  public static final Key API_KEY =
      key("api_key", "", "API key for the trace server (else WANDB_API_KEY); sent as Basic api:KEY.");
  public static final Key CALLS_COMPLETE =
      key("calls_complete", "auto",
          "true: the weave exporter writes calls through /v2/{entity}/{project}/calls/complete from the start; auto: once the server asks (else WEAVE_USE_CALLS_COMPLETE).");
  public static final Key LLM =
      key("llm", "true", "false: calls to LLM clients (OpenAI, Anthropic, LangChain4j, Spring AI) are not traced.");
  public static final Key LLM_OFF =
      key("llm.off", "", "Comma list of LLM integrations not to trace: openai, anthropic, langchain4j, spring_ai.");
  public static final Key OTLP_ENDPOINT =
      key("otlp.endpoint", "http://127.0.0.1:6345/otel/v1/traces",
          "Traces URL of the otlp exporter (else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces).");
  public static final Key JSONL_PATH =
      key("jsonl.path", "weft-calls.jsonl", "File the jsonl exporter appends one call per line to.");
  public static final Key MODE =
      key("mode", "online", "online, or offline: the weave exporter writes only to the spool, for a later sync.");
  public static final Key SPOOL_DIR =
      key("spool.dir", "weft-spool", "Where the weave exporter keeps what the server could not take, to upload later.");
  public static final Key ARTIFACTS_CACHE =
      key("artifacts.cache_dir", "", "Where Weft.useArtifact keeps downloaded artifact versions, one folder per digest; default: ~/.cache/weft/artifacts.");
  public static final Key SPOOL_MAX_MB =
      key("spool.max_mb", "512", "Largest size of the spool, calls and artifacts together, in MiB; past it, what fails is"
          + " dropped and counted, and an artifact that does not fit is not kept.");
  public static final Key RUN_NAME =
      key("run.name", "", "Name of this run; default: the main class and a short id.");
  public static final Key RUN_ID =
      key("run.id", "", "Id of this run; default: a new one. With resume, an earlier run's id goes on with that run.");
  public static final Key RESUME =
      key("resume", "never", "With run.id, as in W&B: allow (go on with the run if it exists, else start it), must (it must exist), never (it must not).");
  public static final Key LOG_EVERY =
      key("log.every", "1", "Keep the metrics of every Nth step only (steps 0, N, 2N, …), for Weft.log in a hot loop.");
  public static final Key TAGS =
      key("tags", "", "Comma list of tags of this run.");
  public static final Key GROUP =
      key("group", "", "Group of this run, e.g. an experiment name.");
  public static final Key METHODS =
      key("methods", "", "Methods to trace without an annotation: pkg.Class[m1,m2];pkg.Other[*].");
  public static final Key CAPTURE_MAX_STRING =
      key("capture.max_string", "2000", "Characters kept of a captured string; the rest is cut with a marker.");
  public static final Key CAPTURE_MAX_ITEMS =
      key("capture.max_items", "100", "Elements kept of a captured collection, array or map.");
  public static final Key CAPTURE_MAX_DEPTH =
      key("capture.max_depth", "8", "Nesting levels captured inside one value.");
  public static final Key CAPTURE_MAX_CHARS =
      key("capture.max_chars", "65536", "Size budget, in JSON characters, of one captured value.");
  public static final Key REDACT =
      key(
          "redact",
          String.join(",", dev.weft.agent.capture.Redaction.DEFAULT_NAMES),
          "Parameter, field and map-key names whose values are captured as \"[REDACTED]\".");
  public static final Key QUEUE_SIZE =
      key("queue.size", "auto", "Finished calls held for export at most; past it new calls are dropped and counted."
          + " auto: one per 16 KB of the JVM's maximum heap (65,536 per GB), from 8,192 to 1,048,576.");
  public static final Key QUEUE_MAX_MB =
      key("queue.max_mb", "128", "Megabytes of large captured values (calls over 4 KB) held for export at most; past it such calls are dropped and counted.");
  public static final Key FLUSH_TIMEOUT_MS =
      key("flush.timeout", "5000", "Milliseconds the agent spends at JVM exit exporting what is queued.");
  public static final Key LOG_LEVEL =
      key("log.level", "info", "Agent log level on stderr: debug, info, warn, off.");

  private static Key key(String name, String defaultValue, String doc) {
    Key k = new Key(name, defaultValue, doc);
    KEYS.add(k);
    return k;
  }

  public static List<Key> keys() {
    return Collections.unmodifiableList(KEYS);
  }

  private final Map<String, String> args;
  private final Map<String, String> env;

  Config(Map<String, String> args, Map<String, String> env) {
    this.args = args;
    this.env = env;
  }

  /** The configuration of this JVM, with the given agent arguments on top. */
  public static Config load(String agentArgs) {
    return new Config(parseArgs(agentArgs), System.getenv());
  }

  public String get(Key key) {
    String v = args.get(key.name);
    if (v == null) v = System.getProperty(key.property());
    if (v == null) v = env.get(key.env());
    return v == null ? key.defaultValue : v.trim();
  }

  public boolean getBoolean(Key key) {
    return Boolean.parseBoolean(get(key));
  }

  /** An integer setting; a value that is not a number falls back to the default, with a warning. */
  public int getInt(Key key) {
    String v = get(key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      Log.warn("weft." + key.name + "=" + v + " is not a number; using " + key.defaultValue);
      return Integer.parseInt(key.defaultValue);
    }
  }

  /** The export queue's size: {@link #QUEUE_SIZE}, by the heap when {@code auto}. */
  public int queueSize() {
    if (!get(QUEUE_SIZE).equalsIgnoreCase("auto")) {
      try {
        return Integer.parseInt(get(QUEUE_SIZE));
      } catch (NumberFormatException e) {
        Log.warn("weft.queue.size=" + get(QUEUE_SIZE) + " is not a number; using auto");
      }
    }
    // About 250 bytes a queued call: at most about 1.5% of the heap, and a burst of a few hundred
    // thousand calls fits in a large one.
    long bySize = Runtime.getRuntime().maxMemory() / (16 * 1024);
    return (int) Math.max(8192, Math.min(1 << 20, bySize));
  }

  public List<String> getList(Key key) {
    List<String> out = new ArrayList<>();
    for (String s : get(key).split(",")) {
      if (!s.isBlank()) out.add(s.trim());
    }
    return out;
  }

  /** The setting if set anywhere, else the first environment variable of {@code envNames} set, else its default. */
  public String getOrEnv(Key key, String... envNames) {
    String v = args.get(key.name);
    if (v == null) v = System.getProperty(key.property());
    if (v == null) v = env.get(key.env());
    for (int i = 0; v == null && i < envNames.length; i++) v = env.get(envNames[i]);
    return v == null ? key.defaultValue : v.trim();
  }

  /** A value from the environment alone, for the W&B and OpenTelemetry variables we honour. */
  public String env(String name) {
    return env.get(name);
  }

  /**
   * Parses agent arguments. Pairs are separated by newlines (what {@code attach} sends) or by
   * commas; a comma-separated piece without {@code =} continues the previous value, so
   * {@code exporters=jsonl,console} keeps its comma.
   */
  static Map<String, String> parseArgs(String agentArgs) {
    Map<String, String> out = new LinkedHashMap<>();
    if (agentArgs == null || agentArgs.isBlank()) return out;
    String separator = agentArgs.indexOf('\n') >= 0 ? "\n" : ",";
    String last = null;
    for (String piece : agentArgs.split(separator)) {
      int eq = piece.indexOf('=');
      if (eq > 0) {
        last = stripPrefix(piece.substring(0, eq).trim());
        out.put(last, piece.substring(eq + 1));
      } else if (last != null) {
        out.put(last, out.get(last) + separator + piece);
      } else if (!piece.isBlank()) {
        Log.warn("ignoring agent argument without '=': " + piece);
      }
    }
    return out;
  }

  private static String stripPrefix(String key) {
    return key.startsWith("weft.") ? key.substring(5) : key;
  }

  /**
   * Run config from settings named {@code config.<key>}: agent arguments, then system
   * properties {@code weft.config.<key>}.
   */
  public Map<String, Object> runConfig() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("weft.config.")) out.put(name.substring("weft.config.".length()), System.getProperty(name));
    }
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (e.getKey().startsWith("config.")) out.put(e.getKey().substring("config.".length()), e.getValue());
    }
    return out;
  }

  /** For tests. */
  static Config of(Map<String, String> args) {
    return new Config(new HashMap<>(args), Map.of());
  }
}
