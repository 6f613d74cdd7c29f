package dev.weft.demo;

import dev.weft.Traced;

/** Applies a patch to a copy of the unit, recompiles it and reruns its tests. */
public class VerifierAgent {
  private final CodeBase codeBase;
  private final TestRunner runner;

  /** Whether the patch makes every test pass, and what the tests said. */
  public record Verdict(boolean passed, int testsPassed, int testsFailed, String detail) {}

  VerifierAgent(CodeBase codeBase, TestRunner runner) {
    this.codeBase = codeBase;
    this.runner = runner;
  }

  @Traced
  public Verdict verify(String unit, Patch patch) {
    TestReport report = runner.run(unit, patch.applyTo(codeBase.unit(unit).source()));
    String detail = report.compileError() != null ? "does not compile: " + report.compileError()
        : report.green() ? "all " + report.passed() + " tests pass"
        : report.failures().get(0).test() + ": " + report.failures().get(0).message();
    return new Verdict(report.green(), report.passed(), report.failed(), detail);
  }
}
