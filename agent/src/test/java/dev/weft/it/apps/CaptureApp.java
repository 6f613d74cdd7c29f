package dev.weft.it.apps;

import dev.weft.Traced;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/** Odd objects passed to and returned from traced methods: capture must not throw, hang or leak. */
public class CaptureApp {

  public static class Node {
    public String name;
    public Node next;

    Node(String name) {
      this.name = name;
    }
  }

  public static class Exploding {
    public String getFine() {
      return "fine";
    }

    public String getBoom() {
      throw new IllegalStateException("getter exploded");
    }
  }

  public static class Credentials {
    private final String user = "bob";
    private final String password = "hunter2";
    private final Map<String, String> headers = Map.of("Authorization", "Bearer abc", "Accept", "json");
  }

  /** A record-like value with private fields and no getters. */
  public static class Patch {
    private final String file;
    private final int line;
    private final List<String> diff;

    Patch(String file, int line, List<String> diff) {
      this.file = file;
      this.line = line;
      this.diff = diff;
    }
  }

  public enum Verdict { PASS, FAIL }

  @Traced
  static int cyclic(Node head) {
    return head.name.length();
  }

  @Traced
  static String getterThrows(Exploding e) {
    return "ok";
  }

  @Traced
  static long streamsAndThreads(Stream<String> lines, Thread worker, InputStream in, Runnable task) {
    return 1;
  }

  @Traced
  static int bigValues(String longText, List<Integer> many, int[] numbers, Map<String, Integer> wide) {
    return longText.length();
  }

  @Traced
  static String secrets(Credentials c, Map<String, Object> config) {
    return "ok";
  }

  @Traced
  static Patch plainObjects(Verdict v, Optional<String> o, UUID id, char c, Object nothing) {
    return new Patch("Calc.java", 42, List.of("-a", "+b"));
  }

  @Traced
  static List<Object> deep(int levels) {
    List<Object> root = new ArrayList<>();
    List<Object> cur = root;
    for (int i = 0; i < levels; i++) {
      List<Object> next = new ArrayList<>();
      cur.add(next);
      cur = next;
    }
    return root;
  }

  @Traced
  static StringBuilder mutatedLater(List<String> items) {
    return new StringBuilder("before");
  }

  public static void main(String[] args) {
    Node a = new Node("a");
    Node b = new Node("b");
    a.next = b;
    b.next = a;
    System.out.println(cyclic(a));
    System.out.println(getterThrows(new Exploding()));
    System.out.println(streamsAndThreads(Stream.of("x").onClose(() -> System.out.println("stream closed")),
        Thread.currentThread(), new ByteArrayInputStream(new byte[] {1, 2}), () -> {}));
    Map<String, Integer> wide = new LinkedHashMap<>();
    for (int i = 0; i < 500; i++) wide.put("k" + i, i);
    List<Integer> many = new ArrayList<>();
    for (int i = 0; i < 1000; i++) many.add(i);
    System.out.println(bigValues("x".repeat(100_000), many, new int[300], wide));
    Map<String, Object> config = new HashMap<>();
    config.put("model", "gpt");
    config.put("OPENAI_API_KEY", "sk-live");
    config.put("max_tokens", 256);
    System.out.println(secrets(new Credentials(), config));
    System.out.println(plainObjects(Verdict.FAIL, Optional.of("o"), new UUID(1, 2), 'c', new Object()).line);
    System.out.println(deep(50).size());
    List<String> items = new ArrayList<>(List.of("first"));
    StringBuilder sb = mutatedLater(items);
    items.add("added after the call");
    sb.append(" and after");
    System.out.println(items.size() + " " + sb);
  }
}
