package dev.weft.junit.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.junit.WeftEvaluation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only one parameterized test is marked: it alone is an evaluation, the class's other test is not recorded. */
public class MethodSuite {
  @WeftEvaluation
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void squares(int n) {
    assertEquals(n * n, (int) Math.pow(n, 2));
  }

  @Test
  void notAnEvaluation() {
    assertEquals(4, 2 + 2);
  }
}
