package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A model provider on loopback that speaks OpenAI's chat completions, JSON and server-sent events
 * alike, as the frameworks' OpenAI clients expect them: the remote provider, and the only stand-in
 * in the frameworks' tests. What it answers follows from the request:
 * <ul>
 *   <li>model {@code fail-500} or {@code rate-limited}: a 500 or 429 with OpenAI's error body;
 *   <li>tools offered and no tool result yet: a call of the first tool, {@code {"city": "Paris"}};
 *   <li>else the reply {@code "Answer: <the last message's content>"}.
 * </ul>
 * Replies come from {@code <model>-2025-01-01} (so the response model differs from the request's)
 * with usage: {@value #COMPLETION_TOKENS} completion tokens, and {@value #PROMPT_TOKENS_EACH} prompt
 * tokens a message. A stream sends its reply in three pieces, {@value #CHUNK_DELAY_MS} ms apart,
 * and its usage last when the request asks for it.
 */
final class ChatCompletionsServer implements AutoCloseable {
  static final long COMPLETION_TOKENS = 7;
  static final long PROMPT_TOKENS_EACH = 10;
  static final int CHUNK_DELAY_MS = 40;

  private final HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  ChatCompletionsServer() throws IOException {
    server = StubServer.start(this::handle);
  }

  /** The classpath of the apps that talk to this server: the test classes and the jars in these folders of it-jars. */
  static String appClasspath(String... itJarFolders) {
    StringBuilder cp = new StringBuilder(AgentRun.testClasspath());
    for (String folder : itJarFolders) {
      cp.append(File.pathSeparator).append(AgentRun.itJar("x").resolveSibling(folder)).append(File.separator).append('*');
    }
    return cp.toString();
  }

  /** An app's arguments: the URL it talks to, its key, then the scenarios it runs. */
  static String[] appArgs(String url, String key, String... scenarios) {
    String[] out = new String[scenarios.length + 2];
    out[0] = url;
    out[1] = key;
    System.arraycopy(scenarios, 0, out, 2, scenarios.length);
    return out;
  }

  /** The base URL OpenAI clients take, ending in {@code /v1}. */
  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The {@code Authorization} header of each request, as sent. */
  List<String> authorizations() {
    return authorizations;
  }

  @Override
  public void close() {
    server.stop(0);
  }

  /**
   * Fails unless {@code call}'s {@code summary.usage} holds this server's tokens for {@code requests}
   * replies of {@code gpt-4o-mini}, under the response model, and nothing else.
   */
  static void assertUsage(JsonNode call, int requests, long promptTokens) {
    JsonNode usage = call.at("/summary/usage/" + responseModel("gpt-4o-mini"));
    assertEquals(requests, usage.path("requests").asInt(), () -> "usage by the response model: " + call);
    assertEquals(promptTokens, usage.path("prompt_tokens").asLong(), call::toString);
    assertEquals(requests * COMPLETION_TOKENS, usage.path("completion_tokens").asLong(), call::toString);
    assertEquals(promptTokens + requests * COMPLETION_TOKENS, usage.path("total_tokens").asLong(),
        call::toString);
    assertFalse(usage.has("input_tokens"), "one spelling only");
    assertEquals(1, call.at("/summary/usage").size(), () -> "one model: " + call);
  }

  /**
   * Fails unless {@code llm}, an LLM call recorded in OpenAI's shape, asked {@code question} in its
   * last message and has this server's answer to it as its reply.
   */
  static void assertAnswered(JsonNode llm, String question) {
    JsonNode messages = llm.at("/inputs/messages");
    JsonNode last = messages.get(messages.size() - 1);
    assertEquals("user", last.path("role").asText(), llm::toString);
    assertEquals(question, last.path("content").asText(), llm::toString);
    assertEquals("assistant", llm.at("/output/choices/0/message/role").asText(), llm::toString);
    assertEquals("Answer: " + question, llm.at("/output/choices/0/message/content").asText(), llm::toString);
  }

  static String responseModel(String requestModel) {
    return requestModel + "-2025-01-01";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      JsonNode body = AgentRun.JSON.readTree(exchange.getRequestBody().readAllBytes());
      String path = exchange.getRequestURI().getPath();
      authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      if (!path.endsWith("/chat/completions")) {
        send(exchange, 404, "{\"error\":{\"message\":\"no route " + path + "\",\"type\":\"invalid_request_error\"}}");
        return;
      }
      String model = body.path("model").asText("gpt-4o-mini");
      if (model.equals("fail-500")) {
        send(exchange, 500, "{\"error\":{\"message\":\"The server had an error processing your request.\",\"type\":\"server_error\"}}");
        return;
      }
      if (model.equals("rate-limited")) {
        send(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached for requests\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
        return;
      }
      ObjectNode message = reply(body);
      long promptTokens = PROMPT_TOKENS_EACH * body.path("messages").size();
      if (body.path("stream").asBoolean(false)) {
        stream(exchange, model, message, promptTokens, body.path("stream_options").path("include_usage").asBoolean(false));
      } else {
        ObjectNode completion = completion(model);
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", message.has("tool_calls") ? "tool_calls" : "stop");
        completion.set("usage", usage(promptTokens));
        send(exchange, 200, completion.toString());
      }
    } catch (Exception e) {
      e.printStackTrace();
    } finally {
      exchange.close();
    }
  }

  /** The assistant's message: a call of the first tool offered, until a tool has answered; then the answer. */
  private static ObjectNode reply(JsonNode body) {
    ObjectNode message = AgentRun.JSON.createObjectNode().put("role", "assistant");
    JsonNode messages = body.path("messages");
    JsonNode last = messages.size() == 0 ? AgentRun.JSON.createObjectNode() : messages.get(messages.size() - 1);
    JsonNode tools = body.path("tools");
    if (tools.size() > 0 && !last.path("role").asText().equals("tool")) {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_weft_1");
      call.put("type", "function");
      call.putObject("function").put("name", tools.get(0).path("function").path("name").asText())
          .put("arguments", "{\"city\":\"Paris\"}");
    } else {
      message.put("content", "Answer: " + text(last.path("content")));
    }
    message.putNull("refusal");
    return message;
  }

  /** A message's content as text: a string, or the text of its parts. */
  private static String text(JsonNode content) {
    if (content.isTextual()) return content.asText();
    StringBuilder out = new StringBuilder();
    for (JsonNode part : content) out.append(part.path("text").asText());
    return out.toString();
  }

  private static ObjectNode completion(String model) {
    ObjectNode c = AgentRun.JSON.createObjectNode();
    c.put("id", "chatcmpl-weft");
    c.put("object", "chat.completion");
    c.put("created", 1767225600);
    c.put("model", responseModel(model));
    c.put("system_fingerprint", "fp_weft");
    return c;
  }

  private static ObjectNode usage(long promptTokens) {
    ObjectNode u = AgentRun.JSON.createObjectNode();
    u.put("prompt_tokens", promptTokens);
    u.put("completion_tokens", COMPLETION_TOKENS);
    u.put("total_tokens", promptTokens + COMPLETION_TOKENS);
    return u;
  }

  private static void stream(HttpExchange exchange, String model, ObjectNode message, long promptTokens,
      boolean withUsage) throws Exception {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    List<ObjectNode> deltas = new ArrayList<>();
    deltas.add(AgentRun.JSON.createObjectNode().put("role", "assistant").put("content", ""));
    if (message.has("tool_calls")) {
      ObjectNode delta = AgentRun.JSON.createObjectNode();
      ArrayNode calls = delta.putArray("tool_calls");
      for (Iterator<JsonNode> it = message.get("tool_calls").elements(); it.hasNext(); ) {
        ObjectNode call = ((ObjectNode) it.next()).deepCopy();
        call.put("index", calls.size());
        calls.add(call);
      }
      deltas.add(delta);
    } else {
      String content = message.get("content").asText();
      int third = content.length() / 3;
      for (String piece : new String[] {content.substring(0, third), content.substring(third, 2 * third), content.substring(2 * third)}) {
        deltas.add(AgentRun.JSON.createObjectNode().put("content", piece));
      }
    }
    for (int i = 0; i < deltas.size(); i++) {
      ObjectNode chunk = chunk(model);
      ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
      choice.set("delta", deltas.get(i));
      choice.putNull("finish_reason");
      if (withUsage) chunk.putNull("usage");
      event(out, chunk.toString());
      Thread.sleep(CHUNK_DELAY_MS);
    }
    ObjectNode last = chunk(model);
    ObjectNode choice = last.putArray("choices").addObject().put("index", 0);
    choice.putObject("delta");
    choice.put("finish_reason", message.has("tool_calls") ? "tool_calls" : "stop");
    if (withUsage) last.putNull("usage");
    event(out, last.toString());
    if (withUsage) {
      ObjectNode usage = chunk(model);
      usage.putArray("choices");
      usage.set("usage", usage(promptTokens));
      event(out, usage.toString());
    }
    event(out, "[DONE]");
  }

  private static ObjectNode chunk(String model) {
    ObjectNode c = completion(model);
    c.put("object", "chat.completion.chunk");
    return c;
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
