package dev.weft.agent.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides which names hold secrets. A name matches a pattern when a run of its words, joined,
 * equals the pattern's words joined: with {@code api_key}, {@code apiKey}, {@code OPENAI_API_KEY}
 * and {@code apikey} match; with {@code token}, {@code accessToken} matches but {@code maxTokens}
 * does not.
 */
public final class Redaction {
  public static final String REDACTED = "[REDACTED]";
  /** The names redacted unless {@code weft.redact} says otherwise: the one default list. */
  public static final List<String> DEFAULT_NAMES = List.of("password", "passwd", "secret", "token", "api_key",
      "apikey", "authorization", "credentials", "private_key");

  /** Patterns with separators removed, lower case. */
  private final String[] patterns;

  public Redaction(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      String joined = String.join("", words(n));
      if (!joined.isEmpty()) out.add(joined);
    }
    this.patterns = out.toArray(new String[0]);
  }

  public boolean matches(String name) {
    if (name == null || patterns.length == 0) return false;
    // Cheap pre-check on the name squashed to lower-case letters and digits.
    StringBuilder squashed = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isLetterOrDigit(c)) squashed.append(Character.toLowerCase(c));
    }
    boolean candidate = false;
    for (String p : patterns) {
      if (squashed.indexOf(p) >= 0) {
        candidate = true;
        break;
      }
    }
    if (!candidate) return false;
    List<String> words = words(name);
    for (int i = 0; i < words.size(); i++) {
      StringBuilder run = new StringBuilder();
      for (int j = i; j < words.size(); j++) {
        run.append(words.get(j));
        for (String p : patterns) {
          if (p.contentEquals(run)) return true;
        }
        if (run.length() >= 64) break;
      }
    }
    return false;
  }

  /** Splits {@code fooBarBAZ_qux-1} into {@code [foo, bar, baz, qux, 1]}. */
  static List<String> words(String name) {
    List<String> words = new ArrayList<>();
    StringBuilder w = new StringBuilder();
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!Character.isLetterOrDigit(c)) {
        flush(words, w);
        continue;
      }
      boolean upper = Character.isUpperCase(c);
      if (upper && w.length() > 0) {
        char prev = name.charAt(i - 1);
        boolean nextLower = i + 1 < name.length() && Character.isLowerCase(name.charAt(i + 1));
        if (Character.isLowerCase(prev) || Character.isDigit(prev) || (Character.isUpperCase(prev) && nextLower)) {
          flush(words, w);
        }
      }
      w.append(Character.toLowerCase(c));
    }
    flush(words, w);
    return words;
  }

  private static void flush(List<String> words, StringBuilder w) {
    if (w.length() > 0) {
      words.add(w.toString());
      w.setLength(0);
    }
  }
}
