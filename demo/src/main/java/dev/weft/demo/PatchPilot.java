package dev.weft.demo;

import dev.weft.Weft;
import dev.weft.eval.EvaluationRun;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The demo's command line: one run of the PatchPilot team over its buggy code base. */
public final class PatchPilot {
  private static final String USAGE = String.join("\n",
      "Usage: java [-javaagent:agent/target/weft-agent.jar] -jar demo/target/weft-demo.jar [options]",
      "",
      "PatchPilot, a self-healing QA agent team: it runs the tests of a small buggy code base, and for",
      "each failing class loops test -> diagnose -> patch -> verify, keeping what it learns in a fix cache.",
      "",
      "  --seed N             order in which candidate patches are tried (default 42)",
      "  --max-iterations N   rounds per bug before giving up (default 3)",
      "  --workers N          bugs worked on in parallel (default 4)",
      "  --cache FILE         the fix cache kept between runs (default .patchpilot/fix-cache.tsv)",
      "  --fresh-cache        forget what earlier runs learned",
      "  --llm                Triage and Fixer ask a model first (falling back to their rules), through",
      "                       the OpenAI Java SDK: OPENAI_API_KEY, and OPENAI_BASE_URL for any",
      "                       OpenAI-compatible endpoint; under the agent each request is a call",
      "  --model NAME         the model --llm asks (default gpt-4o-mini)",
      "  --eval               instead of fixing, evaluate Triage: does it name each unit's seeded kind",
      "                       of bug first? Prints the summary; under the agent, a Weave Evaluation",
      "                       whose call id follows as \"evaluation: ID\"",
      "  --help               this text",
      "",
      "Without --llm it needs no network and no key: the same seed and fix cache give the same fixes.");

  private PatchPilot() {}

  public static void main(String[] args) throws Exception {
    long seed = 42;
    int maxIterations = 3;
    int workers = 4;
    Path cacheFile = Path.of(".patchpilot", "fix-cache.tsv");
    boolean fresh = false;
    boolean llm = false;
    boolean eval = false;
    String model = "gpt-4o-mini";
    ModelAdvisor advisor = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--seed" -> seed = Long.parseLong(value(args, ++i));
          case "--max-iterations" -> maxIterations = positive(value(args, ++i), "--max-iterations");
          case "--workers" -> workers = positive(value(args, ++i), "--workers");
          case "--cache" -> cacheFile = Path.of(value(args, ++i));
          case "--fresh-cache" -> fresh = true;
          case "--llm" -> llm = true;
          case "--model" -> model = value(args, ++i);
          case "--eval" -> eval = true;
          case "--help", "-h" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (llm) advisor = ModelAdvisor.fromEnv(model);
    } catch (IllegalArgumentException e) {
      System.err.println("patchpilot: " + e.getMessage() + "\n\n" + USAGE);
      System.exit(2);
    }
    InMemoryJavac.requireJdk();
    if (eval) {
      try {
        EvaluationRun run = TriageEval.run(new CodeBase(), advisor);
        System.out.println("triage-eval (" + (llm ? model : "rules") + "): " + run.summary());
        if (run.callId() != null) System.out.println("evaluation: " + run.callId());
      } finally {
        if (advisor != null) advisor.close();
      }
      return;
    }
    if (fresh) Files.deleteIfExists(cacheFile);
    FixCache cache = FixCache.load(cacheFile);
    Weft.config(Map.of("seed", seed, "max_iterations", maxIterations, "workers", workers,
        "warm_cache", !fresh && Files.exists(cacheFile), "model", llm ? model : "rules"));

    ExecutorService pool = Executors.newFixedThreadPool(workers);
    Orchestrator.RunReport report;
    try {
      report = new Orchestrator(new CodeBase(), cache, pool, seed, advisor).run(maxIterations);
    } finally {
      pool.shutdown();
      if (advisor != null) advisor.close();
    }
    cache.save();
    print(report, System.out);
  }

  private static void print(Orchestrator.RunReport r, PrintStream out) {
    out.printf(Locale.ROOT, "PatchPilot: %d of %d classes had failing tests; fixed %d in %d iterations.%n",
        r.bugsFound(), r.units(), r.bugsFixed(), r.iterationsTotal());
    out.printf(Locale.ROOT, "  pass_rate %.3f   fix_time_seconds %.3f   cache_hit_rate %.3f%n",
        r.passRate(), r.fixTimeSeconds(), r.cacheHitRate());
    for (Orchestrator.FixOutcome o : r.outcomes()) {
      out.printf(Locale.ROOT, "  %-12s %-20s %s after %d iteration%s%s%n", o.unit(), o.bugType(),
          o.fixed() ? "fixed" : "NOT fixed", o.iterations(), o.iterations() == 1 ? "" : "s",
          o.fixed() && o.patch().fromCache() ? " (from the cache)" : "");
    }
    if (r.traceId() != null) out.println("trace: " + r.traceId());
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
    return args[i];
  }

  private static int positive(String v, String option) {
    int n = Integer.parseInt(v);
    if (n < 1) throw new IllegalArgumentException(option + " must be at least 1");
    return n;
  }
}
