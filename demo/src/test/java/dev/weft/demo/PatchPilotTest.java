package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The demo's team without the agent: every seeded bug is real, found, and fixed; the cache pays. */
class PatchPilotTest {
  private final CodeBase codeBase = new CodeBase();

  private Orchestrator.RunReport run(Path cacheFile, long seed, int maxIterations) throws Exception {
    FixCache cache = FixCache.load(cacheFile);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      return new Orchestrator(codeBase, cache, pool, seed).run(maxIterations);
    } finally {
      pool.shutdown();
      cache.save();
    }
  }

  @Test
  void everyUnitHasAFailingTestAndADifferentKindOfBug() throws Exception {
    TestRunner runner = new TestRunner(codeBase);
    for (CodeBase.Unit u : codeBase.units) {
      TestReport report = runner.run(u.name(), u.source());
      assertTrue(report.compileError() == null, u.name() + ": " + report.compileError());
      assertTrue(report.failed() > 0, u.name() + " has a seeded bug");
    }
    assertTrue(codeBase.units.size() >= 8);
  }

  @Test
  void aColdRunFixesMostAWarmRunFixesAllFromTheCacheInOneIterationEach() throws Exception {
    Path cache = Files.createTempDirectory("patchpilot").resolve("fix-cache.tsv");
    Orchestrator.RunReport cold = run(cache, 42, 3);
    assertEquals(codeBase.units.size(), cold.bugsFound());
    assertEquals(0.0, cold.cacheHitRate());
    assertTrue(cold.bugsFixed() >= cold.bugsFound() - 2, "fixed " + cold.bugsFixed());

    Orchestrator.RunReport second = run(cache, 42, 3);
    assertEquals(second.bugsFound(), second.bugsFixed(), "what the first run tried is not tried again");
    Orchestrator.RunReport warm = run(cache, 42, 3);
    assertEquals(1.0, warm.passRate());
    assertEquals(1.0, warm.cacheHitRate());
    assertEquals(warm.bugsFound(), warm.iterationsTotal(), "one iteration a bug");
    Set<String> kinds = warm.outcomes().stream().map(Orchestrator.FixOutcome::bugType).collect(Collectors.toSet());
    assertEquals(codeBase.units.size(), kinds.size(), "each bug of a different kind: " + kinds);
  }

  @Test
  void theSameSeedFindsTheSameFixes() throws Exception {
    Map<String, String> first = fixes(run(Files.createTempDirectory("a").resolve("c.tsv"), 7, 10));
    Map<String, String> again = fixes(run(Files.createTempDirectory("b").resolve("c.tsv"), 7, 10));
    assertEquals(first, again);
    assertEquals(codeBase.units.size(), first.size(), "with ten iterations every bug is fixed: " + first);
  }

  private static Map<String, String> fixes(Orchestrator.RunReport r) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Orchestrator.FixOutcome o : r.outcomes()) {
      if (o.fixed()) {
        assertNotNull(o.patch());
        out.put(o.unit(), o.patch().id() + " after " + o.iterations());
      }
    }
    return out;
  }
}
