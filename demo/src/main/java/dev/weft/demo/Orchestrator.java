package dev.weft.demo;

import dev.weft.Traced;
import dev.weft.Weft;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the team: tests every unit, then fans the failing ones out over the pool, each through up
 * to {@code maxIterations} rounds of test, diagnose, patch and verify. Logs the run's metrics.
 */
public class Orchestrator {
  private final CodeBase codeBase;
  private final FixCache cache;
  private final ExecutorService pool;
  private final TesterAgent tester;
  private final TriageAgent triage;
  private final FixerAgent fixer;
  private final VerifierAgent verifier;

  /** How one bug ended: fixed or not, in how many iterations and seconds, and by which patch. */
  public record FixOutcome(String unit, boolean fixed, String bugType, int iterations, double seconds, Patch patch) {}

  /** The run's result, as logged. */
  public record RunReport(String traceId, int units, int bugsFound, int bugsFixed, double passRate,
      int iterationsTotal, double fixTimeSeconds, double cacheHitRate, List<FixOutcome> outcomes) {}

  Orchestrator(CodeBase codeBase, FixCache cache, ExecutorService pool, long seed) {
    this(codeBase, cache, pool, seed, null);
  }

  /** {@code model}: what Triage and the Fixer ask first ({@code --llm}); null for the rules alone. */
  Orchestrator(CodeBase codeBase, FixCache cache, ExecutorService pool, long seed, ModelAdvisor model) {
    this.codeBase = codeBase;
    this.cache = cache;
    this.pool = pool;
    TestRunner runner = new TestRunner(codeBase);
    this.tester = new TesterAgent(runner);
    this.triage = new TriageAgent(codeBase, model);
    this.fixer = new FixerAgent(codeBase, cache, seed, model);
    this.verifier = new VerifierAgent(codeBase, runner);
  }

  @Traced
  public RunReport run(int maxIterations) {
    List<CompletableFuture<TestReport>> checks = new ArrayList<>();
    for (CodeBase.Unit u : codeBase.units) {
      checks.add(CompletableFuture.supplyAsync(() -> tester.runTest(u.name(), 0, u.source()), pool));
    }
    List<String> failing = new ArrayList<>();
    for (CompletableFuture<TestReport> c : checks) if (!c.join().green()) failing.add(c.join().unit());
    int units = codeBase.units.size();
    AtomicInteger passing = new AtomicInteger(units - failing.size());
    AtomicInteger step = new AtomicInteger();
    Weft.log(Map.of("pass_rate", passing.get() / (double) units), 0);

    List<CompletableFuture<FixOutcome>> fixes = new ArrayList<>();
    for (String unit : failing) {
      fixes.add(CompletableFuture.supplyAsync(() -> fixBug(unit, maxIterations), pool).thenApply(outcome -> {
        // pass_rate as each bug settles: the curve within this run.
        int now = outcome.fixed() ? passing.incrementAndGet() : passing.get();
        Weft.log(Map.of("pass_rate", now / (double) units), step.incrementAndGet());
        return outcome;
      }));
    }
    List<FixOutcome> outcomes = new ArrayList<>();
    for (CompletableFuture<FixOutcome> f : fixes) outcomes.add(f.join());
    return report(units, failing.size(), outcomes, step.get() + 1);
  }

  @Traced
  public FixOutcome fixBug(String unit, int maxIterations) {
    long start = System.nanoTime();
    String source = codeBase.unit(unit).source();
    String bug = FixCache.bug(unit, source);
    String bugType = "unknown";
    for (int iteration = 1; iteration <= maxIterations; iteration++) {
      TestReport report = tester.runTest(unit, iteration, source);
      if (report.green()) return new FixOutcome(unit, true, "none", iteration, seconds(start), null);
      Diagnosis diagnosis = triage.diagnose(report);
      if (iteration == 1) bugType = diagnosis.kind();
      Patch patch = fixer.generatePatch(unit, diagnosis, iteration);
      if (patch == null) break; // nothing left to try
      VerifierAgent.Verdict verdict = verifier.verify(unit, patch);
      if (verdict.passed()) {
        cache.fixed(bug, patch.id());
        return new FixOutcome(unit, true, patch.kind(), iteration, seconds(start), patch);
      }
      cache.failed(bug, patch.id());
    }
    return new FixOutcome(unit, false, bugType, maxIterations, seconds(start), null);
  }

  private RunReport report(int units, int found, List<FixOutcome> outcomes, int lastStep) {
    int fixed = 0;
    int iterations = 0;
    double fixSeconds = 0;
    Map<String, Integer> bugTypes = new TreeMap<>();
    List<List<Object>> recent = new ArrayList<>();
    for (FixOutcome o : outcomes) {
      iterations += o.iterations();
      bugTypes.merge(o.bugType(), 1, Integer::sum);
      if (!o.fixed()) continue;
      fixed++;
      fixSeconds += o.seconds();
      Patch p = o.patch();
      recent.add(List.of(o.unit(), o.bugType(), o.iterations(), Math.round(o.seconds() * 100) / 100.0,
          p.fromCache(), p.before().trim() + "  →  " + p.after().trim()));
    }
    double passRate = (units - found + fixed) / (double) units;
    double fixTime = fixed == 0 ? 0 : fixSeconds / fixed;
    double cacheHitRate = found == 0 ? 0 : cache.hits() / (double) found;
    Map<String, Number> metrics = new LinkedHashMap<>();
    metrics.put("pass_rate", passRate);
    metrics.put("fix_time_seconds", Math.round(fixTime * 1000) / 1000.0);
    metrics.put("iterations_total", iterations);
    metrics.put("bugs_found", found);
    metrics.put("bugs_fixed", fixed);
    metrics.put("cache_hit_rate", cacheHitRate);
    Weft.log(metrics, lastStep);
    Weft.summary("bug_types", bugTypes);
    Weft.table("recent_fixes", List.of("unit", "bug_type", "iterations", "seconds", "from_cache", "patch"), recent);
    return new RunReport(Weft.currentTraceId(), units, found, fixed, passRate, iterations, fixTime, cacheHitRate, outcomes);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
