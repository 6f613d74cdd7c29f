package dev.weft.bench;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One synchronous chat completion through the real OpenAI Java SDK, to a stub of OpenAI in the
 * same JVM on loopback that answers a completion of about 4 KB: the time of the whole call as
 * the app sees it. Run with and without the agent, the difference is what Weft adds per LLM call
 * (the call, the request and response bodies kept as they pass; decoding is the export thread's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
// Long: a call over loopback warms up slowly (OkHttp, the SDK's Jackson), and the difference
// sought is a few percent of a call.
@Warmup(iterations = 10, time = 2)
@Measurement(iterations = 10, time = 2)
@Fork(2)
public class LlmCallBench {
  private HttpServer server;
  private ExecutorService serverThreads;
  private OpenAIClient client;
  private ChatCompletionCreateParams params;

  @Setup(Level.Trial)
  public void start() throws IOException {
    byte[] answer = completion(4096);
    // Headers and body go in separate writes: with Nagle's algorithm each call would wait out the
    // client's delayed ACK (40 ms), and measure that.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", x -> {
      x.getRequestBody().readAllBytes();
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.sendResponseHeaders(200, answer.length);
      x.getResponseBody().write(answer);
      x.close();
    });
    serverThreads = Executors.newSingleThreadExecutor();
    server.setExecutor(serverThreads);
    server.start();
    client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/v1")
        .apiKey("sk-bench").maxRetries(0).build();
    params = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("You are PatchPilot's triage agent: name the kind of bug a failing test shows.")
        .addUserMessage("StatsTest.mean fails: expected 2.5 but was 2.0. Source of Stats.mean follows.").build();
  }

  @TearDown(Level.Trial)
  public void stop() {
    client.close();
    server.stop(0);
    serverThreads.shutdownNow();
  }

  @Benchmark
  public String chatCompletion(AppThread thread) {
    long cpu = AppThread.CPU.getCurrentThreadCpuTime();
    ChatCompletion c = client.chat().completions().create(params);
    thread.cpuNanos += AppThread.CPU.getCurrentThreadCpuTime() - cpu;
    thread.calls++;
    return c.choices().get(0).message().content().orElse("");
  }

  /**
   * The CPU time of the app's thread in the calls, apart from the wall time: the part of the cost
   * the app pays itself, which the export thread's and the stub's work on the same two cores do
   * not blur. Summed over the measurement, as JMH sums event counters.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class AppThread {
    static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    public long cpuNanos;
    public long calls;

    @Setup(Level.Iteration)
    public void clean() {
      cpuNanos = 0;
      calls = 0;
    }
  }

  /** A chat completion whose content makes the body about {@code size} bytes. */
  static byte[] completion(int size) {
    StringBuilder content = new StringBuilder();
    while (content.length() < size - 700) content.append("The loop in Stats.mean stops one element short of the end. ");
    return ("{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1764489600,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + content + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":812,\"total_tokens\":854,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}").getBytes(StandardCharsets.UTF_8);
  }
}
