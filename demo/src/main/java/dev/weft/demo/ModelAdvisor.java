package dev.weft.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * The model PatchPilot asks with {@code --llm}: an OpenAI-compatible chat completions endpoint,
 * through the OpenAI Java SDK ({@code OPENAI_BASE_URL}, {@code OPENAI_API_KEY}). Triage asks it
 * which kinds of bug a failure shows, the Fixer which line to change and how. An answer that
 * cannot be read, or names nothing usable, is {@code null}: the agents then go by their rules.
 * Nothing here traces anything; with the agent, each request is a call of its own.
 */
final class ModelAdvisor implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LLM_ID = ":llm:L";

  private final OpenAIClient client;
  private final String model;

  private ModelAdvisor(OpenAIClient client, String model) {
    this.client = client;
    this.model = model;
  }

  /** A client from the environment; fails with a readable message when there is no key. */
  /** The model asked, e.g. gpt-4o-mini. */
  String name() {
    return model;
  }

  static ModelAdvisor fromEnv(String model) {
    String key = System.getenv("OPENAI_API_KEY");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("--llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for an endpoint other than OpenAI's)");
    }
    return new ModelAdvisor(OpenAIOkHttpClient.fromEnv(), model);
  }

  /** The kinds of bug the model suspects, most likely first; null if it gave none that PatchPilot knows. */
  List<String> suspects(CodeBase.Unit unit, TestReport report) {
    TestReport.Failure f = report.failures().get(0);
    String answer = ask("You are the triage agent of PatchPilot, which repairs small Java classes. "
        + "Bug kinds: " + String.join(", ", Mutations.KINDS) + ". "
        + "Answer with JSON only: {\"suspects\": [the kinds that fit, most likely first]}.",
        "Unit: " + unit.name() + "\nSource:\n" + numbered(unit.source()) + "\nFailing test: " + f.test() + ": " + f.message()
            + "\nExpected: " + f.expected() + ", actual: " + f.actual() + " (" + f.exception() + ")"
            + "\nTests passed: " + report.passed() + ", failed: " + report.failed());
    return parseSuspects(answer);
  }

  /**
   * The one-line edit the model proposes for {@code unit}, as a patch; null if it proposed none
   * that fits the source or one already {@code tried}.
   */
  Patch patch(String unit, String source, Diagnosis diagnosis, Predicate<String> tried) {
    String answer = ask("You are the fixer agent of PatchPilot, which repairs small Java classes with one-line edits. "
        + "Answer with JSON only: {\"line\": the 1-based number of the line to change, \"replacement\": \"the whole new line\"}.",
        "Unit: " + unit + "\nSource:\n" + numbered(source) + "\nSuspected bug kinds: " + diagnosis.suspects()
            + "\nEvidence: " + diagnosis.evidence());
    Patch p = parsePatch(answer, unit, source, diagnosis.kind());
    return p == null || tried.test(p.id()) ? null : p;
  }

  @Override
  public void close() {
    client.close();
  }

  private String ask(String system, String user) {
    return client.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
        .addSystemMessage(system).addUserMessage(user).temperature(0.0).maxCompletionTokens(300).build())
        .choices().get(0).message().content().orElse("");
  }

  private static String numbered(String source) {
    String[] lines = source.split("\n", -1);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < lines.length; i++) out.append(i + 1).append(": ").append(lines[i]).append('\n');
    return out.toString();
  }

  /** The known kinds in {@code {"suspects": [...]}}, however the answer wraps its JSON; null if none. */
  static List<String> parseSuspects(String answer) {
    JsonNode json = json(answer);
    if (json == null) return null;
    List<String> kinds = new ArrayList<>();
    for (JsonNode k : json.path("suspects")) {
      String kind = k.asText().trim().toLowerCase(java.util.Locale.ROOT).replace(' ', '_').replace('-', '_');
      if (Mutations.KINDS.contains(kind) && !kinds.contains(kind)) kinds.add(kind);
    }
    return kinds.isEmpty() ? null : kinds;
  }

  /** The patch in {@code {"line": n, "replacement": "..."}}; null unless it changes a line of the source. */
  static Patch parsePatch(String answer, String unit, String source, String kind) {
    JsonNode json = json(answer);
    if (json == null || !json.path("line").canConvertToInt() || !json.path("replacement").isTextual()) return null;
    int line = json.get("line").asInt();
    String[] lines = source.split("\n", -1);
    String after = json.get("replacement").asText();
    if (line < 1 || line > lines.length || after.equals(lines[line - 1]) || after.isBlank()) return null;
    for (Patch p : Mutations.candidates(unit, source, kind)) {
      if (p.line() == line && p.after().equals(after)) return p; // one of the rules' own edits: the same id
    }
    String id = unit + LLM_ID + line + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(after.getBytes(StandardCharsets.UTF_8));
    return new Patch(id, unit, kind, line, lines[line - 1], after, false);
  }

  /** A patch the model proposed in an earlier run, from its id (the fix cache keeps ids); null if it is none. */
  static Patch fromId(String id, String unit, String source, String kind) {
    int at = id.indexOf(LLM_ID);
    if (at < 0) return null;
    try {
      String[] lineAndEdit = id.substring(at + LLM_ID.length()).split(":", 2);
      int line = Integer.parseInt(lineAndEdit[0]);
      String after = new String(Base64.getUrlDecoder().decode(lineAndEdit[1]), StandardCharsets.UTF_8);
      String[] lines = source.split("\n", -1);
      return line < 1 || line > lines.length ? null : new Patch(id, unit, kind, line, lines[line - 1], after, false);
    } catch (RuntimeException notOurs) {
      return null;
    }
  }

  /** The first JSON object in a model's answer (models wrap it in prose or code fences); null if none parses. */
  private static JsonNode json(String answer) {
    if (answer == null) return null;
    int start = answer.indexOf('{');
    int end = answer.lastIndexOf('}');
    if (start < 0 || end <= start) return null;
    try {
      JsonNode node = JSON.readTree(answer.substring(start, end + 1));
      return node.isObject() ? node : null;
    } catch (Exception malformed) {
      return null;
    }
  }
}
