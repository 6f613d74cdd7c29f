package dev.weft.agent.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ExceptionJsonTest {
  @Test
  void writesWeavesExceptionShapeWithTheCauseChain() throws Exception {
    Exception e = new IllegalStateException("outer", new java.io.IOException("disk \"full\""));
    JsonNode node = new ObjectMapper().readTree(ExceptionJson.of(e));
    assertEquals("java.lang.IllegalStateException", node.get("type").asText());
    assertEquals("outer", node.get("message").asText());
    JsonNode frame = node.get("traceback").get(0);
    assertEquals("ExceptionJsonTest.java", frame.get("filename").asText());
    assertTrue(frame.get("line_number").asInt() > 0);
    assertTrue(frame.get("function_name").asText().endsWith("ExceptionJsonTest.writesWeavesExceptionShapeWithTheCauseChain"));
    assertEquals("disk \"full\"", node.at("/cause/message").asText());
  }
}
