package dev.weft.agent.weave;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class MethodSelectionTest {
  @Test
  void parsesClassesWithMethodListsAndWildcards() {
    MethodSelection s = MethodSelection.parse(" a.B[m1, m2] ; c.D[*];broken;e.F[]");
    assertEquals(Set.of("a.B", "c.D", "e.F"), s.classNames());
    assertEquals(Set.of("m1", "m2"), s.methodsOf("a.B"));
    assertTrue(s.methodsOf("c.D").contains(MethodSelection.ALL));
    assertTrue(s.methodsOf("x.Y").isEmpty());
  }

  @Test
  void findsAnnotationDescriptorsInClassFileBytes() {
    byte[] file = "....Ldev/weft/Traced;....".getBytes();
    Candidates c = new Candidates(Set.of("a.B"), Set.of("dev.weft.Traced"), Set.of("com/openai/core/http/HttpClient"));
    assertTrue(c.worthWeaving("x/Y", file));
    assertTrue(c.worthWeaving("x/Z", "..com/openai/core/http/HttpClient..".getBytes()), "a library type an integration weaves");
    assertTrue(c.worthWeaving("a/B", new byte[0]));
    assertTrue(c.worthWeaving("java/lang/Thread", new byte[0]));
    assertTrue(!c.worthWeaving("x/Y", "Ldev/weft/Trace;".getBytes()));
  }
}
