package dev.weft.agent.capture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactionTest {
  final Redaction r = new Redaction(List.of("password", "token", "api_key", "authorization"));

  @Test
  void namesMatchByWordsInAnyCase() {
    for (String name : List.of("password", "userPassword", "PASSWORD", "api_key", "apiKey",
        "OPENAI_API_KEY", "apikey", "accessToken", "x-authorization", "Authorization")) {
      assertTrue(r.matches(name), name);
    }
  }

  @Test
  void wordsThatOnlyContainAPatternDoNotMatch() {
    for (String name : List.of("maxTokens", "max_tokens", "tokenizer", "user", "apiVersion", "keyboard")) {
      assertFalse(r.matches(name), name);
    }
  }

  @Test
  void wordsSplitOnCaseDigitsAndSeparators() {
    assertEquals(List.of("foo", "bar", "baz", "qux", "1"), Redaction.words("fooBarBAZ_qux-1"));
    assertEquals(List.of("http", "server"), Redaction.words("HTTPServer"));
  }
}
