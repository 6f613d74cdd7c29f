package dev.weft.it.apps;

import dev.weft.Traced;
import java.time.Duration;
import java.util.List;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.messages.SystemMessage;
import org.springframework.ai.chat.messages.UserMessage;
import org.springframework.ai.chat.model.ChatModel;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.retry.support.RetryTemplate;

/**
 * An app that uses Spring AI (its OpenAI model and ChatClient, without Spring Boot), unchanged,
 * against the OpenAI-compatible server and key it is given (a test's stub): arguments are the
 * server's root URL, the key, then the scenarios to run. Each scenario is a traced method that
 * makes model calls, and prints one line, the same with the agent as without.
 */
public class SpringAiApp {
  static final Duration WAIT = Duration.ofSeconds(20);
  static String root;
  static String apiKey;

  public static void main(String[] args) {
    root = args[0];
    apiKey = args[1];
    for (String s : List.of(args).subList(2, args.length)) System.out.println(s + ": " + run(s));
  }

  static String run(String scenario) {
    switch (scenario) {
      case "call": return diagnose("Why does StatsTest fail?");
      case "stream": return streamDiagnosis("Stream the diagnosis of MoneyTest.");
      case "client": return askClient("Why does WordsTest fail?");
      case "clientStream": return streamClient("Stream the diagnosis of WordsTest.");
      case "serverError": return failing();
      default: throw new IllegalArgumentException(scenario);
    }
  }

  /** Spring AI's OpenAI model, asking for usage in streams too, with one attempt per call. */
  static ChatModel model(String name) {
    return OpenAiChatModel.builder()
        .openAiApi(OpenAiApi.builder().baseUrl(root).apiKey(apiKey).build())
        .defaultOptions(OpenAiChatOptions.builder().model(name).streamUsage(true).build())
        .retryTemplate(RetryTemplate.builder().maxAttempts(1).build())
        .build();
  }

  @Traced
  static String diagnose(String question) {
    ChatResponse r = model("gpt-4o-mini").call(new Prompt(List.of(new SystemMessage("You diagnose failing tests."),
        new UserMessage(question)), OpenAiChatOptions.builder().temperature(0.2).build()));
    return r.getResult().getOutput().getText();
  }

  @Traced
  static String streamDiagnosis(String question) {
    return String.join("", model("gpt-4o-mini").stream(new Prompt(question))
        .map(SpringAiApp::text).collectList().block(WAIT));
  }

  /** A chunk's text: none in the chunks that carry only the finish reason or the usage. */
  static String text(ChatResponse chunk) {
    String text = chunk.getResult() == null ? null : chunk.getResult().getOutput().getText();
    return text == null ? "" : text;
  }

  @Traced
  static String askClient(String question) {
    return ChatClient.create(model("gpt-4o-mini")).prompt().system("You diagnose failing tests.").user(question)
        .call().content();
  }

  @Traced
  static String streamClient(String question) {
    return String.join("", ChatClient.create(model("gpt-4o-mini")).prompt().user(question).stream().content()
        .collectList().block(WAIT));
  }

  @Traced
  static String failing() {
    try {
      return model("fail-500").call("Why does StatsTest fail?");
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }
}
