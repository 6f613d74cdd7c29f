package dev.weft.it.apps;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.Tool;
import dev.weft.Traced;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * An app that uses the real Anthropic Java SDK, unchanged, against the base URL and key it is
 * given (a test's stub of Anthropic): arguments are the base URL, the key, then the scenarios to
 * run (all when none). Each scenario is a traced method; each prints one line, the same with the
 * agent as without.
 */
public class AnthropicApp {
  static AnthropicClient client;

  public static void main(String[] args) throws Exception {
    client = AnthropicOkHttpClient.builder().baseUrl(args[0]).apiKey(args[1]).maxRetries(0).build();
    List<String> scenarios = args.length > 2 ? List.of(args).subList(2, args.length)
        : List.of("message", "messageAsync", "messageStream", "toolStream", "rateLimited", "serverError", "abandoned", "fanOut");
    for (String s : scenarios) System.out.println(s + ": " + run(s));
    client.close();
  }

  static String run(String scenario) throws Exception {
    switch (scenario) {
      case "message": return message("Why does StatsTest fail?");
      case "messageAsync": return messageAsync("Why does MoneyTest fail?");
      case "messageStream": return messageStream("Stream the diagnosis.");
      case "toolStream": return toolStream("Run the failing tests of Stats.");
      case "rateLimited": return failing("rate-limited");
      case "serverError": return failing("broken");
      case "abandoned": return abandoned("Tell me a long story.");
      case "fanOut": return fanOut(List.of("Calculator", "Inventory"));
      default: throw new IllegalArgumentException(scenario);
    }
  }

  static MessageCreateParams params(String model, String question) {
    return MessageCreateParams.builder().model(model).maxTokens(1024)
        .system("You are PatchPilot's triage agent.").addUserMessage(question).build();
  }

  static String text(Message m) {
    StringBuilder out = new StringBuilder();
    for (ContentBlock b : m.content()) {
      b.text().ifPresent(t -> out.append(t.text()));
      b.toolUse().ifPresent(t -> out.append(" -> ").append(t.name()).append(t._input().toString()));
    }
    return out + " [" + m.stopReason().map(Object::toString).orElse("?") + ", " + m.usage().outputTokens() + " out]";
  }

  @Traced
  static String message(String question) {
    return text(client.messages().create(params("claude-sonnet-4-20250514", question)));
  }

  @Traced
  static String messageAsync(String question) throws Exception {
    return text(client.async().messages().create(params("claude-sonnet-4-20250514", question)).get(30, TimeUnit.SECONDS));
  }

  static String streamed(MessageCreateParams params) {
    MessageAccumulator acc = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(acc::accumulate);
    }
    return text(acc.message());
  }

  @Traced
  static String messageStream(String question) {
    return streamed(params("claude-sonnet-4-20250514", question));
  }

  @Traced
  static String toolStream(String question) {
    Tool runTests = Tool.builder().name("run_tests").description("Runs a unit's tests")
        .inputSchema(Tool.InputSchema.builder().putAdditionalProperty("properties", JsonValue.from(Map.of(
            "unit", Map.of("type", "string"), "failing_only", Map.of("type", "boolean")))).addRequired("unit").build())
        .build();
    return streamed(params("claude-sonnet-4-20250514", question).toBuilder().addTool(runTests).build());
  }

  @Traced
  static String failing(String model) {
    try {
      client.messages().create(params(model, "Anything."));
      return "no error";
    } catch (AnthropicServiceException e) {
      return e.getClass().getSimpleName() + " " + e.statusCode();
    }
  }

  /** Reads the first text delta of a long stream and closes it. */
  @Traced
  static String abandoned(String question) {
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params("claude-sonnet-4-long", question))) {
      return s.stream().flatMap(e -> e.contentBlockDelta().stream()).flatMap(d -> d.delta().text().stream())
          .map(t -> t.text()).findFirst().orElse("nothing");
    }
  }

  @Traced
  static String fanOut(List<String> units) throws Exception {
    return OnAPool.each(units, unit -> message("Why does " + unit + "Test fail?"));
  }
}
