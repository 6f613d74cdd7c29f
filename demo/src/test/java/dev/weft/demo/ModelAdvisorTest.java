package dev.weft.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a model's answers: the JSON however it is wrapped, only what fits, null for the rest. */
class ModelAdvisorTest {
  private static final String SOURCE = "public class Stats {\n  public static int last(int[] a) {\n    return a[a.length];\n  }\n}";

  @Test
  void suspectsAreTheKnownKindsInTheAnswersJsonInOrder() {
    assertEquals(List.of("off_by_one", "wrong_index"), ModelAdvisor.parseSuspects(
        "Here you go:\n```json\n{\"suspects\": [\"Off-by-one\", \"made_up\", \"wrong index\", \"off_by_one\"]}\n```"));
  }

  @Test
  void anAnswerWithoutJsonOrKnownKindsIsNoAnswer() {
    assertNull(ModelAdvisor.parseSuspects("Probably an off-by-one error."));
    assertNull(ModelAdvisor.parseSuspects("{\"suspects\": [\"cosmic_rays\"]}"));
    assertNull(ModelAdvisor.parseSuspects("{\"suspects\": [\"off_by_one\""));
    assertNull(ModelAdvisor.parseSuspects(null));
  }

  @Test
  void anEditOfALineIsAPatchThatRoundTripsThroughItsId() {
    Patch p = ModelAdvisor.parsePatch("{\"line\": 3, \"replacement\": \"    return a[a.length - 1];\"}", "Stats", SOURCE, "off_by_one");
    assertNotNull(p);
    assertEquals("    return a[a.length];", p.before());
    assertEquals("public class Stats {\n  public static int last(int[] a) {\n    return a[a.length - 1];\n  }\n}", p.applyTo(SOURCE));
    Patch again = ModelAdvisor.fromId(p.id(), "Stats", SOURCE, "off_by_one");
    assertEquals(p, again, "the fix cache keeps the id only");
    assertNull(ModelAdvisor.fromId("Stats:off_by_one:L3#0", "Stats", SOURCE, "off_by_one"), "a rules' patch is not the model's");
  }

  @Test
  void anEditThatMatchesARulesCandidateIsThatCandidate() {
    String words = "public class Words {\n  public static String rest(String s) {\n    return s.substring(1);\n  }\n}";
    Patch p = ModelAdvisor.parsePatch("{\"line\": 3, \"replacement\": \"    return s.substring(0);\"}", "Words", words, "wrong_index");
    assertNotNull(p);
    assertEquals("Words:wrong_index:L3#0", p.id(), "kept under the rules' id");
  }

  @Test
  void anEditOutsideTheSourceOrChangingNothingIsNoPatch() {
    assertNull(ModelAdvisor.parsePatch("{\"line\": 42, \"replacement\": \"x\"}", "Stats", SOURCE, "off_by_one"));
    assertNull(ModelAdvisor.parsePatch("{\"line\": 3, \"replacement\": \"    return a[a.length];\"}", "Stats", SOURCE, "off_by_one"));
    assertNull(ModelAdvisor.parsePatch("{\"line\": \"three\", \"replacement\": \"x\"}", "Stats", SOURCE, "off_by_one"));
    assertNull(ModelAdvisor.parsePatch("Change line 3.", "Stats", SOURCE, "off_by_one"));
  }
}
