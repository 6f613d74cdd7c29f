package dev.weft.demo;

import java.util.List;

/** What Triage thinks is wrong: bug kinds, most likely first, and the evidence it went by. */
public record Diagnosis(String unit, List<String> suspects, String evidence) {

  public String kind() {
    return suspects.isEmpty() ? "unknown" : suspects.get(0);
  }
}
