package dev.weft.demo;

import dev.weft.NoCapture;
import dev.weft.Traced;

/** Compiles a unit with its tests, in process, and runs them. */
public class TesterAgent {
  private final TestRunner runner;

  TesterAgent(TestRunner runner) {
    this.runner = runner;
  }

  @Traced
  public TestReport runTest(String unit, int iteration, @NoCapture String source) {
    TestReport report = runner.run(unit, source);
    if (report.compileError() != null) throw new IllegalStateException(unit + " does not compile: " + report.compileError());
    return report;
  }
}
