package dev.weft.junit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Traced;
import dev.weft.eval.Scores;
import dev.weft.junit.WeftEvaluation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A test class marked as an evaluation, run by the tests through the JUnit Platform Launcher:
 * one row and one plain test fail on purpose, one plain test is aborted. The server module's
 * src/test/node/sdk-test-evaluation.mjs writes its evaluation with the Weave TypeScript SDK.
 */
@WeftEvaluation(name = "triage-tests", model = "triage", dataset = "seeded bugs")
public class TriageSuite {
  @Traced
  static String diagnose(String bug) {
    return bug.equals("Parser.parse") ? "null-handling" : "off-by-one";
  }

  @ParameterizedTest
  @CsvSource({"Calculator.add, off-by-one", "Parser.parse, null-handling", "Range.contains, boundary"})
  void diagnosesTheBugType(String bug, String expected) {
    String found = diagnose(bug);
    Scores.output(found);
    Scores.add("confidence", found.length() / 10.0);
    assertEquals(expected, found);
  }

  @Test
  void compiles() {
    assertTrue(diagnose("Calculator.add").length() > 0);
  }

  @Test
  void handlesUnknownBugs() {
    assertEquals("off-by-one", diagnose("Unknown.bug"));
  }

  @Test
  void failsOnPurpose() {
    assertEquals("fixed", diagnose("Calculator.add"), "the seeded bug is still there");
  }

  /**
   * Aborted on purpose, not disabled: this suite is the input of JUnitEvaluationIT (Surefire skips
   * {@code *Suite}), which checks that an aborted test counts in neither the evaluation nor pass_rate.
   */
  @Test
  void isAbortedOnPurpose() {
    Assumptions.assumeTrue(false, "not on this machine");
  }
}
