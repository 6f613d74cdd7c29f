package dev.weft.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.junit.suite.MethodSuite;
import dev.weft.junit.suite.TriageSuite;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Without the agent the extension records nothing, and JUnit counts the tests as it always does. */
class WeftExtensionTest {
  @Test
  void junitStillReportsFailuresAndAbortsOfAMarkedClass() {
    TestExecutionSummary s = SuiteRunner.run(TriageSuite.class.getName(), MethodSuite.class.getName());
    assertEquals(2, s.getTestsFailedCount(), "one row and one plain test fail");
    assertEquals(1, s.getTestsAbortedCount());
    assertEquals(4 + 4, s.getTestsSucceededCount(), "two rows and two plain tests; three squares and a plain test");
    assertEquals("the seeded bug is still there ==> expected: <fixed> but was: <off-by-one>",
        s.getFailures().stream().filter(f -> f.getTestIdentifier().getDisplayName().startsWith("failsOnPurpose"))
            .findFirst().orElseThrow().getException().getMessage());
  }
}
