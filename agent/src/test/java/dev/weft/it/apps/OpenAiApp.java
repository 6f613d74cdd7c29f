package dev.weft.it.apps;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.weft.Traced;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * An app that uses the real OpenAI Java SDK, unchanged, against the base URL and key it is given
 * (a test's stub of OpenAI): arguments are the base URL, the key, then the scenarios to run (all
 * when none). Each scenario is a traced method that makes model calls; each prints one line, the
 * same with the agent as without.
 */
public class OpenAiApp {
  static OpenAIClient client;
  static String baseUrl;
  static String apiKey;

  public static void main(String[] args) throws Exception {
    baseUrl = args[0];
    apiKey = args[1];
    client = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(0).build();
    List<String> scenarios = args.length > 2 ? List.of(args).subList(2, args.length)
        : List.of("chat", "chatAsync", "chatStream", "chatStreamWithUsage", "chatStreamAsync", "responses",
            "responsesStream", "embeddings", "rateLimited", "serverError", "retried", "timeout", "abandoned", "fanOut");
    for (String s : scenarios) System.out.println(s + ": " + run(s));
    client.close();
  }

  static String run(String scenario) throws Exception {
    switch (scenario) {
      case "chat": return chat("Why does StatsTest fail?");
      case "chatAsync": return chatAsync("Why does MoneyTest fail?");
      case "chatStream": return chatStream("Stream the diagnosis of StatsTest.");
      case "chatStreamWithUsage": return chatStreamWithUsage("Stream it, with usage.");
      case "chatStreamAsync": return chatStreamAsync("Stream it asynchronously.");
      case "responses": return responses("Diagnose WordsTest.");
      case "responsesStream": return responsesStream("Stream the diagnosis of WordsTest.");
      case "embeddings": return embeddings("off-by-one in a loop bound");
      case "rateLimited": return failing("rate-limited");
      case "serverError": return failing("broken");
      case "retried": return retried("Try again.");
      case "timeout": return timeout("Take your time.");
      case "abandoned": return abandoned("Tell me a long story.");
      case "fanOut": return fanOut(List.of("Calculator", "Inventory"));
      default: throw new IllegalArgumentException(scenario);
    }
  }

  static ChatCompletionCreateParams params(String model, String question) {
    return ChatCompletionCreateParams.builder().model(model)
        .addSystemMessage("You are PatchPilot's triage agent.").addUserMessage(question).temperature(0.0).build();
  }

  @Traced
  static String chat(String question) {
    ChatCompletion c = client.chat().completions().create(params("gpt-4o-mini", question));
    return c.choices().get(0).message().content().orElse("") + " [" + c.usage().get().totalTokens() + " tokens]";
  }

  @Traced
  static String chatAsync(String question) throws Exception {
    CompletableFuture<ChatCompletion> f = client.async().chat().completions().create(params("gpt-4o-mini", question));
    return f.get(30, TimeUnit.SECONDS).choices().get(0).message().content().orElse("");
  }

  @Traced
  static String chatStream(String question) {
    StringBuilder text = new StringBuilder();
    int chunks = 0;
    boolean usageSeen = false;
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params("gpt-4o-mini", question))) {
      for (ChatCompletionChunk c : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
        chunks++;
        usageSeen |= !c._usage().isMissing();
        for (ChatCompletionChunk.Choice choice : c.choices()) text.append(choice.delta().content().orElse(""));
      }
    }
    return text + " [" + chunks + " chunks, usage field " + (usageSeen ? "present" : "absent") + "]";
  }

  @Traced
  static String chatStreamWithUsage(String question) {
    ChatCompletionCreateParams p = params("gpt-4o-mini", question).toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    StringBuilder text = new StringBuilder();
    long total = -1;
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(p)) {
      for (ChatCompletionChunk c : (Iterable<ChatCompletionChunk>) s.stream()::iterator) {
        for (ChatCompletionChunk.Choice choice : c.choices()) text.append(choice.delta().content().orElse(""));
        if (c.usage().isPresent()) total = c.usage().get().totalTokens();
      }
    }
    return text + " [" + total + " tokens]";
  }

  @Traced
  static String chatStreamAsync(String question) throws Exception {
    StringBuilder text = new StringBuilder();
    AsyncStreamResponse<ChatCompletionChunk> s = client.async().chat().completions().createStreaming(params("gpt-4o-mini", question));
    s.subscribe(c -> {
      synchronized (text) {
        for (ChatCompletionChunk.Choice choice : c.choices()) text.append(choice.delta().content().orElse(""));
      }
    });
    s.onCompleteFuture().get(30, TimeUnit.SECONDS);
    synchronized (text) {
      return text.toString();
    }
  }

  @Traced
  static String responses(String question) {
    Response r = client.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input(question).build());
    String text = r.output().stream().flatMap(item -> item.message().stream())
        .flatMap(m -> m.content().stream()).flatMap(c -> c.outputText().stream()).map(t -> t.text())
        .collect(Collectors.joining());
    return text + " [" + r.usage().get().totalTokens() + " tokens]";
  }

  @Traced
  static String responsesStream(String question) {
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ResponseStreamEvent> s = client.responses()
        .createStreaming(ResponseCreateParams.builder().model("gpt-4o-mini").input(question).build())) {
      for (ResponseStreamEvent e : (Iterable<ResponseStreamEvent>) s.stream()::iterator) {
        e.outputTextDelta().ifPresent(d -> text.append(d.delta()));
      }
    }
    return text.toString();
  }

  @Traced
  static String embeddings(String text) {
    CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input(text).build());
    return r.data().size() + " x " + r.data().get(0).embedding().size() + " [" + r.usage().totalTokens() + " tokens]";
  }

  /** A provider error: the app sees the SDK's own exception. */
  @Traced
  static String failing(String model) {
    try {
      client.chat().completions().create(params(model, "Anything."));
      return "no error";
    } catch (OpenAIServiceException e) {
      return e.getClass().getSimpleName() + " " + e.statusCode();
    }
  }

  /** The SDK retries a 429 by itself: one model call. */
  @Traced
  static String retried(String question) {
    OpenAIClient retrying = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(2).build();
    try {
      return retrying.chat().completions().create(params("flaky", question)).choices().get(0).message().content().orElse("");
    } finally {
      retrying.close();
    }
  }

  @Traced
  static String timeout(String question) {
    OpenAIClient impatient = OpenAIOkHttpClient.builder().baseUrl(baseUrl).apiKey(apiKey).maxRetries(0)
        .timeout(Duration.ofMillis(300)).build();
    try {
      impatient.chat().completions().create(params("slow", question));
      return "answered";
    } catch (RuntimeException e) {
      return e.getClass().getSimpleName();
    } finally {
      impatient.close();
    }
  }

  /** Reads the first chunk of a long stream and closes it. */
  @Traced
  static String abandoned(String question) {
    try (StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params("gpt-4o-mini-long", question))) {
      Optional<String> first = s.stream().flatMap(c -> c.choices().stream())
          .flatMap(choice -> choice.delta().content().stream()).filter(t -> !t.isEmpty()).findFirst();
      return first.orElse("nothing");
    }
  }

  /** Model calls on a pool's threads, under the call that handed them off. */
  @Traced
  static String fanOut(List<String> units) throws Exception {
    return OnAPool.each(units, unit -> chat("Why does " + unit + "Test fail?"));
  }
}
