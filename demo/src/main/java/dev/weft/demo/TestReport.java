package dev.weft.demo;

import java.util.List;

/**
 * One run of a unit's tests: how many passed and failed, and each failure as the test saw it.
 * {@code compileError} is set, and nothing ran, when the code did not compile.
 */
public record TestReport(String unit, int passed, int failed, List<Failure> failures, String compileError) {

  /** A failed test: its name, the check's message, and the expected and actual values when the check said them. */
  public record Failure(String test, String exception, String message, String expected, String actual) {}

  public boolean green() {
    return compileError == null && failed == 0 && passed > 0;
  }
}
