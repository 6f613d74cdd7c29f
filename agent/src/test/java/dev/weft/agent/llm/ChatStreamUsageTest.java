package dev.weft.agent.llm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Asking an OpenAI chat stream for usage, and giving the app the stream it would have had. */
class ChatStreamUsageTest {
  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String s(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void aStreamRequestWithoutStreamOptionsAsksForUsage() {
    assertEquals("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"\\\"stream\\\":true\"}],"
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true},\"temperature\":0}",
        s(ChatStreamUsage.asked(b("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"\\\"stream\\\":true\"}],"
            + "\"stream\":true,\"temperature\":0}"))));
    assertEquals("{ \"stream\" : true,\"stream_options\":{\"include_usage\":true} }",
        s(ChatStreamUsage.asked(b("{ \"stream\" : true }"))));
  }

  @Test
  void aRequestThatSaysItsStreamOptionsOrDoesNotStreamIsLeftAlone() {
    assertNull(ChatStreamUsage.asked(b("{\"stream\":true,\"stream_options\":{\"include_usage\":false}}")));
    assertNull(ChatStreamUsage.asked(b("{\"stream\":false}")));
    assertNull(ChatStreamUsage.asked(b("{\"messages\":[{\"content\":\"{\\\"stream\\\":true}\"}]}")), "only top-level keys count");
    assertNull(ChatStreamUsage.asked(b("not json")));
  }

  @Test
  void theUsageChunkIsTakenOutAndTheNullUsageOfEveryOtherChunk() throws Exception {
    String head = "{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":";
    String sent = "data: " + head + "[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
        + "data: {\"usage\":null,\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{}}]}\r\n\r\n"
        + "data: " + head + "[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1,\"total_tokens\":4}}\n\n"
        + "data: [DONE]\n\n";
    String unasked = "data: " + head + "[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{}}]}\r\n\r\n"
        + "data: [DONE]\n\n";
    assertEquals(unasked, s(readInSmallPieces(ChatStreamUsage.unasked(new ByteArrayInputStream(b(sent))))));
  }

  @Test
  void aChunkWhoseUsageIsItsOnlyMemberOrLastLosesItWithItsComma() {
    assertArrayEquals(b("data: {}\n\n"), ChatStreamUsage.unasked(b("data: {\"usage\":null}\n\n")));
    assertArrayEquals(b("data: {\"a\":1}\n\n"), ChatStreamUsage.unasked(b("data: {\"a\":1, \"usage\" : null}\n\n")));
    assertArrayEquals(b("event: x\n\n"), ChatStreamUsage.unasked(b("event: x\n\n")), "no data: as it is");
  }

  /** Reads as an SSE parser may: a few bytes at a time, and one by one. */
  private static byte[] readInSmallPieces(InputStream in) throws Exception {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    byte[] buf = new byte[7];
    for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
      out.write(buf, 0, n);
      int one = in.read();
      if (one < 0) break;
      out.write(one);
    }
    return out.toByteArray();
  }
}
