package dev.weft.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaptureTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode json(Object captured) throws Exception {
    return JSON.readTree(((Json) captured).text);
  }

  @Test
  void immutableScalarsAreKeptAsTheyAre() {
    Integer i = 1234567;
    assertSame(i, Capture.value(i));
    assertEquals("FRIDAY", Capture.value(java.time.DayOfWeek.FRIDAY));
    assertEquals(null, Capture.value(null));
  }

  @Test
  void mutableObjectsAreSnapshotAsJson() throws Exception {
    List<Object> list = new ArrayList<>(List.of(1, "two", Map.of("k", true)));
    Object captured = Capture.value(list);
    list.add("later");
    JsonNode node = json(captured);
    assertEquals(3, node.size());
    assertTrue(node.get(2).get("k").asBoolean());
  }

  static class Broken {
    public String getName() {
      throw new UnsupportedOperationException("nope");
    }

    @Override
    public String toString() {
      throw new IllegalStateException("toString too");
    }
  }

  @Test
  void nothingAnObjectDoesEscapesCapture() throws Exception {
    JsonNode node = json(Capture.value(new Broken()));
    assertEquals("<threw java.lang.UnsupportedOperationException>", node.get("name").asText());
  }

  @Test
  void budgetCutsHugeGraphs() throws Exception {
    Capture.configure(new Limits(100, 1000, 8, 200), new Redaction(Redaction.DEFAULT_NAMES));
    try {
      List<String> many = new ArrayList<>();
      for (int i = 0; i < 1000; i++) many.add("item-" + i);
      JsonNode node = json(Capture.value(many));
      assertTrue(node.size() < 50, node.toString());
      assertTrue(node.get(node.size() - 1).asText().startsWith("…["), node.toString());
    } finally {
      Capture.configure(Limits.DEFAULT, new Redaction(Redaction.DEFAULT_NAMES));
    }
  }
}
