package dev.weft.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * OpenAI and Anthropic as their SDKs see them, on loopback: chat completions, Responses,
 * embeddings and messages, as JSON and as server-sent events, with the ids, model names and usage
 * the real services answer with. The model asked for picks a failure: {@code rate-limited} (429),
 * {@code broken} (500), {@code flaky} (429 once, then an answer), {@code slow} (answers after 3 s),
 * {@code *-long} (a stream that goes on until the client hangs up). Every request is kept.
 */
final class LlmStub implements AutoCloseable {
  static final String ANSWER = "Off-by-one in Stats.mean: the loop stops one element short.";
  static final String[] PIECES = {"Off", "-by", "-one", " in", " Stats", ".mean", ":", " the loop stops", " one element", " short."};
  static final String CHAT_MODEL = "gpt-4o-mini-2024-07-18";
  static final String CLAUDE = "claude-sonnet-4-20250514";

  /** A request as the stub got it. */
  static final class Request {
    final String path;
    /** The headers a key goes in: {@code Authorization} and {@code x-api-key}. */
    final String credentials;
    final JsonNode body;

    Request(String path, String credentials, JsonNode body) {
      this.path = path;
      this.credentials = credentials;
      this.body = body;
    }
  }

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Set<String> failedOnce = ConcurrentHashMap.newKeySet();
  private final HttpServer server;
  final String openAiBase;
  final String anthropicBase;

  LlmStub() throws IOException {
    server = StubServer.start(this::handle);
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    openAiBase = base + "/v1";
    anthropicBase = base;
  }

  /** The classpath of the apps that talk to the stub through the real SDKs: the test classes and it-jars/llm. */
  static String appClasspath() throws IOException {
    return appClasspath(null);
  }

  /** With {@code openAiJars}, a folder of another version of the OpenAI SDK's jars in place of it-jars/llm's. */
  static String appClasspath(java.nio.file.Path openAiJars) throws IOException {
    StringBuilder cp = new StringBuilder(AgentRun.testClasspath());
    try (var jars = java.nio.file.Files.list(AgentRun.itJar("llm/x").getParent())) {
      jars.filter(j -> j.toString().endsWith(".jar"))
          .filter(j -> openAiJars == null || !j.getFileName().toString().startsWith("openai-java"))
          .sorted().forEach(j -> cp.append(java.io.File.pathSeparator).append(j));
    }
    if (openAiJars != null) {
      try (var jars = java.nio.file.Files.list(openAiJars)) {
        jars.filter(j -> j.toString().endsWith(".jar")).sorted().forEach(j -> cp.append(java.io.File.pathSeparator).append(j));
      }
    }
    return cp.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      JsonNode body = AgentRun.JSON.readTree(x.getRequestBody().readAllBytes());
      String path = x.getRequestURI().getPath();
      requests.add(new Request(path, x.getRequestHeaders().getFirst("Authorization") + " "
          + x.getRequestHeaders().getFirst("x-api-key"), body));
      String model = body.path("model").asText();
      boolean anthropic = path.equals("/v1/messages");
      if (model.equals("rate-limited") || (model.equals("flaky") && failedOnce.add(path))) {
        x.getResponseHeaders().add("retry-after-ms", "10");
        json(x, 429, anthropic
            ? "{\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"Number of request tokens has exceeded your per-minute rate limit\"}}"
            : "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini in organization org-stub on requests per min (RPM): Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}");
        return;
      }
      if (model.equals("broken")) {
        json(x, 500, anthropic
            ? "{\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}"
            : "{\"error\":{\"message\":\"The server had an error while processing your request. Sorry about that!\",\"type\":\"server_error\",\"param\":null,\"code\":null}}");
        return;
      }
      if (model.equals("slow")) sleep(3000);
      boolean stream = body.path("stream").asBoolean();
      switch (path) {
        case "/v1/chat/completions" -> {
          if (stream) chatStream(x, body.path("stream_options").path("include_usage").asBoolean(), model.endsWith("-long"));
          else json(x, 200, chatCompletion());
        }
        case "/v1/responses" -> {
          if (stream) responsesStream(x);
          else json(x, 200, response("completed", true).toString());
        }
        case "/v1/embeddings" -> json(x, 200, embeddings(body));
        case "/v1/messages" -> {
          if (stream) messagesStream(x, body.has("tools"), model.endsWith("-long"));
          else json(x, 200, message());
        }
        default -> json(x, 404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
      }
    } catch (IOException hungUp) {
      // the client closed a stream early: as it should be able to
    }
  }

  static String chatCompletion() {
    return "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1764489600,"
        + "\"model\":\"" + CHAT_MODEL + "\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
        + ANSWER + "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":17,\"total_tokens\":59,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}},"
        + "\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}";
  }

  /** A chat stream as OpenAI sends it: with {@code "usage": null} on every chunk and a usage chunk last when asked. */
  private static void chatStream(HttpExchange x, boolean includeUsage, boolean endless) throws IOException {
    OutputStream out = events(x);
    String head = "{\"id\":\"chatcmpl-B9MBsStream\",\"object\":\"chat.completion.chunk\",\"created\":1764489600,\"model\":\""
        + CHAT_MODEL + "\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",\"choices\":";
    String usageNull = includeUsage ? ",\"usage\":null}" : "}";
    event(out, null, head + "[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null},\"logprobs\":null,\"finish_reason\":null}]" + usageNull);
    for (int i = 0; i < (endless ? 3000 : PIECES.length); i++) { // endless: for a minute at most
      event(out, null, head + "[{\"index\":0,\"delta\":{\"content\":\"" + PIECES[i % PIECES.length]
          + "\"},\"logprobs\":null,\"finish_reason\":null}]" + usageNull);
      if (endless) sleep(20);
    }
    event(out, null, head + "[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]" + usageNull);
    if (includeUsage) {
      event(out, null, head + "[],\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":17,\"total_tokens\":59,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
          + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}}");
    }
    event(out, null, "[DONE]");
  }

  static ObjectNode response(String status, boolean withOutput) {
    ObjectNode r = AgentRun.JSON.createObjectNode();
    r.put("id", "resp_67ccd2bed1ec8190b14f964abc054267").put("object", "response").put("created_at", 1764489600)
        .put("status", status).putNull("error").putNull("incomplete_details").putNull("instructions")
        .putNull("max_output_tokens").put("model", CHAT_MODEL);
    var output = r.putArray("output");
    if (withOutput) output.add(messageItem("completed", ANSWER));
    r.put("parallel_tool_calls", true).putNull("previous_response_id");
    r.put("store", true).put("temperature", 1.0).put("tool_choice", "auto").put("top_p", 1.0).put("truncation", "disabled");
    r.putArray("tools");
    r.putObject("text").putObject("format").put("type", "text");
    if (withOutput) {
      ObjectNode u = r.putObject("usage");
      u.put("input_tokens", 36).putObject("input_tokens_details").put("cached_tokens", 8);
      u.put("output_tokens", 87).putObject("output_tokens_details").put("reasoning_tokens", 0);
      u.put("total_tokens", 123);
    } else {
      r.putNull("usage");
    }
    r.putObject("metadata");
    return r;
  }

  private static ObjectNode messageItem(String status, String text) {
    ObjectNode item = AgentRun.JSON.createObjectNode().put("id", "msg_67ccd2bf17f0819081ff3bb2cf6508e6")
        .put("type", "message").put("status", status).put("role", "assistant");
    var content = item.putArray("content");
    if (text != null) content.addObject().put("type", "output_text").put("text", text).putArray("annotations");
    return item;
  }

  private static void responsesStream(HttpExchange x) throws IOException {
    OutputStream out = events(x);
    int seq = 0;
    event(out, "response.created", "{\"type\":\"response.created\",\"sequence_number\":" + seq++ + ",\"response\":" + response("in_progress", false) + "}");
    event(out, "response.in_progress", "{\"type\":\"response.in_progress\",\"sequence_number\":" + seq++ + ",\"response\":" + response("in_progress", false) + "}");
    event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":" + seq++
        + ",\"output_index\":0,\"item\":" + messageItem("in_progress", null) + "}");
    String ids = ",\"item_id\":\"msg_67ccd2bf17f0819081ff3bb2cf6508e6\",\"output_index\":0,\"content_index\":0";
    event(out, "response.content_part.added", "{\"type\":\"response.content_part.added\",\"sequence_number\":" + seq++ + ids
        + ",\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}");
    for (String piece : PIECES) {
      event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + seq++ + ids
          + ",\"delta\":\"" + piece + "\",\"logprobs\":[]}");
    }
    event(out, "response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":" + seq++ + ids
        + ",\"text\":\"" + ANSWER + "\",\"logprobs\":[]}");
    event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":" + seq++
        + ",\"output_index\":0,\"item\":" + messageItem("completed", ANSWER) + "}");
    event(out, "response.completed", "{\"type\":\"response.completed\",\"sequence_number\":" + seq + ",\"response\":"
        + response("completed", true) + "}");
  }

  private static String embeddings(JsonNode request) {
    boolean base64 = request.path("encoding_format").asText().equals("base64");
    StringBuilder data = new StringBuilder();
    int n = request.path("input").isArray() ? request.path("input").size() : 1;
    for (int i = 0; i < n; i++) {
      float[] v = {0.0023064255f, -0.009327292f, 0.015797347f, -0.0077780345f, -0.0046922187f, 0.014365903f, -0.02009127f, 0.0085434f};
      String vector;
      if (base64) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        vector = "\"" + Base64.getEncoder().encodeToString(b.array()) + "\"";
      } else {
        StringBuilder s = new StringBuilder("[");
        for (int j = 0; j < v.length; j++) s.append(j == 0 ? "" : ",").append(v[j]);
        vector = s.append(']').toString();
      }
      data.append(i == 0 ? "" : ",").append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":").append(vector).append('}');
    }
    return "{\"object\":\"list\",\"data\":[" + data + "],\"model\":\"text-embedding-3-small\","
        + "\"usage\":{\"prompt_tokens\":6,\"total_tokens\":6}}";
  }

  static String message() {
    return "{\"id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"" + ANSWER + "\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":12,\"output_tokens\":18,\"service_tier\":\"standard\"}}";
  }

  private static void messagesStream(HttpExchange x, boolean tool, boolean endless) throws IOException {
    OutputStream out = events(x);
    event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_01StreamDUDYJgAACzvnptvV\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"" + CLAUDE + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":12,\"output_tokens\":1,\"service_tier\":\"standard\"}}}");
    event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(out, "ping", "{\"type\": \"ping\"}");
    for (int i = 0; i < (endless ? 3000 : PIECES.length); i++) { // endless: for a minute at most
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
          + PIECES[i % PIECES.length] + "\"}}");
      if (endless) sleep(20);
    }
    event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    if (tool) {
      event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
          + "\"id\":\"toolu_01T1x1fJ34qAmk2tNTrN7Up6\",\"name\":\"run_tests\",\"input\":{}}}");
      for (String part : new String[] {"", "{\"unit\": \"St", "ats\", \"fail", "ing_only\": true}"}) {
        event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":"
            + AgentRun.JSON.writeValueAsString(part) + "}}");
      }
      event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
    }
    event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + (tool ? "tool_use" : "end_turn")
        + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":18}}");
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
  }

  private static void json(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().add("Content-Type", "application/json");
    x.getResponseHeaders().add("x-request-id", "req_stub");
    x.sendResponseHeaders(status, bytes.length);
    x.getResponseBody().write(bytes);
  }

  private static OutputStream events(HttpExchange x) throws IOException {
    x.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
    x.sendResponseHeaders(200, 0);
    return x.getResponseBody();
  }

  private static void event(OutputStream out, String name, String data) throws IOException {
    out.write(((name == null ? "" : "event: " + name + "\n") + "data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
