package dev.weft.agent;

import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.WeavingGate;
import dev.weft.agent.bootstrap.WeftBridge;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.capture.Limits;
import dev.weft.agent.capture.Redaction;
import dev.weft.agent.export.CallExporter;
import dev.weft.agent.export.ConsoleExporter;
import dev.weft.agent.export.JsonlExporter;
import dev.weft.agent.export.OtlpExporter;
import dev.weft.agent.export.Pipeline;
import dev.weft.agent.export.weave.WeaveExporter;
import dev.weft.agent.run.RunState;
import dev.weft.agent.weave.Weaver;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Starts the agent inside the app's JVM: configuration, capture, export, then weaving. */
public final class Agent {
  private static boolean started;

  private Agent() {}

  /**
   * Called once per {@code -javaagent} ({@code atLaunch}) or attach, from the bootstrap class
   * loader.
   */
  public static synchronized void start(String args, Instrumentation inst, File agentJar, boolean atLaunch) {
    if (started) {
      Log.info("the agent is already running in this JVM; ignoring another start");
      return;
    }
    long t0 = System.nanoTime();
    Config config = Config.load(args);
    Log.setLevel(config.get(Config.LOG_LEVEL));
    if (!config.getBoolean(Config.ENABLED)) {
      Log.info("disabled (weft.enabled=false): nothing is woven");
      return;
    }
    started = true;
    Redaction redaction = new Redaction(config.getList(Config.REDACT));
    // Capture, run and export are set up on a second thread while this one sets up weaving,
    // which is most of the start-up; both are done before premain returns and any call runs.
    java.util.concurrent.FutureTask<Pipeline> export = new java.util.concurrent.FutureTask<>(() -> {
      Capture.configure(new Limits(config.getInt(Config.CAPTURE_MAX_STRING),
          config.getInt(Config.CAPTURE_MAX_ITEMS), config.getInt(Config.CAPTURE_MAX_DEPTH),
          config.getInt(Config.CAPTURE_MAX_CHARS)), redaction);
      RunState run = newRun(config);
      WeftBridge.setRunSink(run);
      Pipeline pipeline = new Pipeline(config.queueSize(), config.getInt(Config.QUEUE_MAX_MB) * 1024L * 1024L);
      List<CallExporter> exporters = exporters(config, run, pipeline);
      for (CallExporter e : exporters) {
        String refusal = e instanceof WeaveExporter ? ((WeaveExporter) e).resume(run) : null;
        if (refusal != null) throw new RunRefused(refusal);
      }
      pipeline.start(exporters);
      Calls.setSink(pipeline);
      return pipeline;
    });
    Thread setup = new Thread(export, "weft-setup");
    setup.setDaemon(true);
    setup.start();

    dev.weft.agent.llm.LlmCalls.configure(config.getBoolean(Config.LLM),
        new java.util.HashSet<>(config.getList(Config.LLM_OFF)));
    try {
      dev.weft.agent.integration.Libraries.install(agentJar);
    } catch (Throwable t) {
      Log.warn("could not set up the Reactor and Kotlin integrations: " + t);
    }
    try {
      Set<Class<?>> loaded = Weaver.install(inst, agentJar, config.get(Config.METHODS), redaction);
      if (atLaunch) {
        // At launch only JDK classes are loaded (Thread, Runtime); weaving them is most of the
        // agent's start-up, so it runs beside main, and the first call waits for it.
        WeavingGate.close();
        Thread weave = new Thread(() -> {
          long w0 = System.nanoTime();
          try {
            Weaver.retransform(inst, loaded);
          } finally {
            WeavingGate.open();
            Log.debug("wove " + loaded.size() + " loaded classes in " + (System.nanoTime() - w0) / 1_000_000 + " ms");
          }
        }, "weft-weave");
        weave.setDaemon(true);
        weave.start();
      } else {
        Weaver.retransform(inst, loaded); // attached: calls are already running; weave before returning
      }
    } catch (Throwable t) {
      Log.warn("could not set up weaving, the app runs untraced: " + t);
    }
    try {
      export.get();
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RunRefused) {
        // As wandb.init raises: a job that must go on with a run does not start another.
        Log.error(e.getCause().getMessage());
        System.exit(1);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Pipeline pipeline = export.get();
      long flushTimeout = config.getInt(Config.FLUSH_TIMEOUT_MS);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        Calls.runAtExit();
        pipeline.shutdown(flushTimeout);
      }, "weft-shutdown"));
    } catch (Throwable t) {
      Log.warn("could not set up export, calls are not exported: " + t);
    }
    Log.debug("started in " + (System.nanoTime() - t0) / 1_000_000 + " ms; exporters "
        + config.get(Config.EXPORTERS));
  }

  /** weft.resume refused the run: the app must not start. */
  private static final class RunRefused extends RuntimeException {
    RunRefused(String message) {
      super(message, null, false, false);
    }
  }

  /** This JVM's run: named after the main class unless weft.run.name says otherwise. */
  private static RunState newRun(Config config) {
    String given = config.get(Config.RUN_ID).trim();
    String resume = config.get(Config.RESUME).trim().toLowerCase(java.util.Locale.ROOT);
    if (!List.of("allow", "must", "never").contains(resume)) {
      Log.warn("weft.resume=" + resume + " is not one of allow, must, never: using never");
      resume = "never";
    }
    // Not UUID.randomUUID(): SecureRandom's start-up would add tens of milliseconds to the app's.
    String id = !given.isEmpty() ? given
        : Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 4 | 1L << 59).substring(0, 12);
    String name = config.get(Config.RUN_NAME);
    if (name.isEmpty()) {
      String command = System.getProperty("sun.java.command", "app").split(" ")[0];
      String main = command.endsWith(".jar") ? Paths.get(command).getFileName().toString().replace(".jar", "")
          : command.substring(command.lastIndexOf('.') + 1);
      name = main + "-" + id;
    }
    return new RunState(id, name, given.isEmpty() ? null : resume, config.runConfig(), config.getInt(Config.LOG_EVERY));
  }

  /** weft.artifacts.cache_dir, else ~/.cache/weft/artifacts (as W&B keeps its own under ~/.cache/wandb). */
  private static java.nio.file.Path artifactsCache(Config config) {
    String dir = config.get(Config.ARTIFACTS_CACHE);
    return dir.isEmpty() ? Paths.get(System.getProperty("user.home"), ".cache", "weft", "artifacts") : Paths.get(dir);
  }

  /** Whether calls go in the calls_complete form from the start: weft.calls_complete, else WEAVE_USE_CALLS_COMPLETE. */
  private static boolean callsComplete(Config config) {
    String v = config.getOrEnv(Config.CALLS_COMPLETE, "WEAVE_USE_CALLS_COMPLETE").toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("auto") && !v.equals("true") && !v.equals("false")) {
      Log.warn("weft.calls_complete=" + v + " is not auto, true or false; using auto");
    }
    return v.equals("true");
  }

  /** The otlp exporter, honouring the standard OTEL_EXPORTER_OTLP_* and OTEL_SERVICE_NAME variables. */
  private static CallExporter otlp(Config config, String project, RunState run) {
    String endpoint = config.getOrEnv(Config.OTLP_ENDPOINT, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    String base = config.env("OTEL_EXPORTER_OTLP_ENDPOINT");
    if (endpoint.equals(Config.OTLP_ENDPOINT.defaultValue) && config.env("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null
        && base != null && !base.isBlank()) {
      endpoint = base.replaceAll("/+$", "") + "/v1/traces";
    }
    java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
    String raw = config.env("OTEL_EXPORTER_OTLP_HEADERS");
    if (raw != null) {
      for (String pair : raw.split(",")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          headers.put(java.net.URLDecoder.decode(pair.substring(0, eq).trim(), java.nio.charset.StandardCharsets.UTF_8),
              java.net.URLDecoder.decode(pair.substring(eq + 1).trim(), java.nio.charset.StandardCharsets.UTF_8));
        }
      }
    }
    String service = config.env("OTEL_SERVICE_NAME");
    return new OtlpExporter(endpoint, headers, service == null || service.isBlank() ? run.name : service, project);
  }

  private static List<CallExporter> exporters(Config config, RunState run, Pipeline pipeline) {
    List<CallExporter> out = new ArrayList<>();
    String project = config.getOrEnv(Config.PROJECT);
    if (project.equals(Config.PROJECT.defaultValue) && config.env("WANDB_PROJECT") != null) {
      String entity = config.env("WANDB_ENTITY");
      project = (entity == null || entity.isBlank() ? "weft" : entity) + "/" + config.env("WANDB_PROJECT");
    }
    for (String name : config.getList(Config.EXPORTERS)) {
      switch (name) {
        case "console":
          out.add(new ConsoleExporter(System.err));
          break;
        case "weave":
          WeaveExporter weave = new WeaveExporter(config.getOrEnv(Config.ENDPOINT, "WF_TRACE_SERVER_URL"), project,
              config.getOrEnv(Config.API_KEY, "WANDB_API_KEY"), callsComplete(config), run, config.getList(Config.TAGS),
              config.get(Config.GROUP).isEmpty() ? null : config.get(Config.GROUP),
              Paths.get(config.get(Config.SPOOL_DIR)), config.getInt(Config.SPOOL_MAX_MB) * 1024L * 1024L,
              config.get(Config.MODE).equalsIgnoreCase("offline"), pipeline::droppedCount);
          dev.weft.agent.bootstrap.EvaluationBridge.setObjectSink(weave.objects());
          WeftBridge.setArtifactSink(new dev.weft.agent.export.weave.Artifacts(
              config.getOrEnv(Config.ENDPOINT, "WF_TRACE_SERVER_URL"), project, config.getOrEnv(Config.API_KEY, "WANDB_API_KEY"),
              Paths.get(config.get(Config.SPOOL_DIR)), config.getInt(Config.SPOOL_MAX_MB) * 1024L * 1024L,
              config.get(Config.MODE).equalsIgnoreCase("offline"), run.id, artifactsCache(config)));
          out.add(weave);
          break;
        case "otlp":
          out.add(otlp(config, project, run));
          break;
        case "jsonl":
          out.add(new JsonlExporter(Paths.get(config.get(Config.JSONL_PATH)), project));
          break;
        case "none":
          break;
        default:
          Log.warn("unknown exporter '" + name + "' in weft.exporters; known: weave, otlp, console, jsonl, none");
      }
    }
    return out;
  }
}
