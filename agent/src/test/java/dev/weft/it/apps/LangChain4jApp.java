package dev.weft.it.apps;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openaiofficial.OpenAiOfficialChatModel;
import dev.langchain4j.service.AiServices;
import dev.weft.Traced;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An app that uses LangChain4j, unchanged, against the OpenAI-compatible base URL and key it is
 * given (a test's stub): arguments are the base URL, the key, then the scenarios to run. Each
 * scenario is a traced method that makes model calls through LangChain4j's own API, and prints
 * one line, the same with the agent as without.
 */
public class LangChain4jApp {
  static String baseUrl;
  static String apiKey;

  public static void main(String[] args) throws Exception {
    baseUrl = args[0];
    apiKey = args[1];
    for (String s : List.of(args).subList(2, args.length)) System.out.println(s + ": " + run(s));
  }

  static String run(String scenario) throws Exception {
    switch (scenario) {
      case "chat": return diagnose("Why does StatsTest fail?");
      case "stream": return streamDiagnosis("Stream the diagnosis of MoneyTest.");
      case "service": return askAssistant("What is the weather in Paris?");
      case "serverError": return failing("fail-500");
      case "rateLimited": return failing("rate-limited");
      case "official": return official("Why does WordsTest fail?");
      default: throw new IllegalArgumentException(scenario);
    }
  }

  static OpenAiChatModel.OpenAiChatModelBuilder model(String name) {
    return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey(apiKey).modelName(name).maxRetries(0);
  }

  // chat: a ChatModel call with a system and a user message, and parameters.

  @Traced
  static String diagnose(String question) {
    ChatModel model = model("gpt-4o-mini").temperature(0.2).maxTokens(200).build();
    ChatResponse response = model.chat(ChatRequest.builder()
        .messages(SystemMessage.from("You diagnose failing tests."), UserMessage.from(question)).build());
    return response.aiMessage().text();
  }

  // stream: a StreamingChatModel call, whose handler hears the end on the HTTP client's thread.

  @Traced
  static String streamDiagnosis(String question) throws Exception {
    StreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey(apiKey)
        .modelName("gpt-4o-mini").build();
    CompletableFuture<String> done = new CompletableFuture<>();
    StringBuilder pieces = new StringBuilder();
    model.chat(question, new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        pieces.append(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        done.complete(pieces + " | " + response.aiMessage().text());
      }

      @Override
      public void onError(Throwable error) {
        done.completeExceptionally(error);
      }
    });
    return done.get(20, TimeUnit.SECONDS);
  }

  // service: an AI service whose model asks for a tool, then answers with its result.

  public interface Assistant {
    String chat(String message);
  }

  public static class Weather {
    @Tool("The weather forecast for a city")
    public String forecast(@P("the city") String city) {
      return "sunny in " + city + ", 21 C";
    }
  }

  @Traced
  static String askAssistant(String question) {
    Assistant assistant = AiServices.builder(Assistant.class).chatModel(model("gpt-4o-mini").build())
        .tools(new Weather()).build();
    return assistant.chat(question);
  }

  // serverError, rateLimited: the provider refuses; the app sees LangChain4j's exception.

  @Traced
  static String failing(String modelName) {
    try {
      return model(modelName).build().chat("Why does StatsTest fail?");
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    }
  }

  // official: LangChain4j over the OpenAI Java SDK (langchain4j-open-ai-official).

  @Traced
  static String official(String question) {
    ChatModel model = OpenAiOfficialChatModel.builder().baseUrl(baseUrl)
        .apiKey(apiKey).modelName("gpt-4o-mini").maxRetries(0).build();
    return model.chat(question);
  }
}
