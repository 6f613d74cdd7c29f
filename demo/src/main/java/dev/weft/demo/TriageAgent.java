package dev.weft.demo;

import dev.weft.Traced;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a failure by what the tests saw: the exception, and how the actual value differs
 * from the expected one; with {@code --llm}, by what the model makes of the source and the
 * failure first. A guess, ranked: the Fixer tries the first kind first.
 */
public class TriageAgent {
  private final CodeBase codeBase;
  /** With {@code --llm}: asked first; null goes by the rules alone. */
  private final ModelAdvisor model;

  TriageAgent(CodeBase codeBase, ModelAdvisor model) {
    this.codeBase = codeBase;
    this.model = model;
  }

  @Traced
  public Diagnosis diagnose(TestReport report) {
    TestReport.Failure f = report.failures().get(0);
    String evidence = f.test() + ": " + f.message();
    List<String> rules = suspects(report, f);
    return new Diagnosis(report.unit(), model == null ? rules : asked(report, rules), evidence);
  }

  /** The model's suspects, then the rules' others; the rules' alone when its answer is of no use. */
  private List<String> asked(TestReport report, List<String> rules) {
    List<String> kinds;
    try {
      kinds = model.suspects(codeBase.unit(report.unit()), report);
    } catch (RuntimeException e) {
      System.err.println("patchpilot: triage of " + report.unit() + ": the model failed (" + e + "); going by the rules");
      return rules;
    }
    if (kinds == null) {
      System.err.println("patchpilot: triage of " + report.unit() + ": the model's answer names no known bug kind; going by the rules");
      return rules;
    }
    List<String> out = new ArrayList<>(kinds);
    for (String k : rules) if (!out.contains(k)) out.add(k);
    return out;
  }

  private static List<String> suspects(TestReport report, TestReport.Failure f) {
    switch (f.exception()) {
      case "NullPointerException":
        return List.of("null_handling", "inverted_condition");
      case "StringIndexOutOfBoundsException":
      case "ArrayIndexOutOfBoundsException":
        return List.of("wrong_index", "off_by_one");
      case "Timeout":
        return List.of("off_by_one", "boundary");
      default:
        break;
    }
    String expected = f.expected();
    String actual = f.actual();
    if (expected == null || actual == null) return List.of("off_by_one", "wrong_operator");
    if (expected.equals("true") || expected.equals("false")) {
      // Every check wrong: the condition is inverted; some: an edge case is off.
      return report.passed() == 0
          ? List.of("inverted_condition", "boundary")
          : List.of("boundary", "inverted_condition", "off_by_one");
    }
    if (expected.startsWith("\"") && actual.startsWith("\"")) {
      if (expected.replace("0", "").equals(actual.replace("0", ""))) return List.of("string_format");
      return expected.length() != actual.length()
          ? List.of("wrong_index", "string_format")
          : List.of("string_format", "wrong_index");
    }
    try {
      double e = Double.parseDouble(expected);
      double a = Double.parseDouble(actual);
      if (e != Math.floor(e) && a == (long) e) return List.of("integer_division");
      return Math.abs(a - e) <= Math.max(1, Math.abs(e) * 0.5)
          ? List.of("off_by_one", "wrong_operator", "operator_precedence")
          : List.of("wrong_operator", "operator_precedence", "off_by_one");
    } catch (NumberFormatException notNumbers) {
      return List.of("wrong_operator", "off_by_one");
    }
  }
}
