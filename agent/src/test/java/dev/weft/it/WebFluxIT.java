package dev.weft.it;

import static dev.weft.it.AgentRun.assertChildOf;
import static dev.weft.it.AgentRun.duration;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Spring Boot WebFlux app, run from its fat jar under the agent: each traced controller and
 * service method returning a Mono or Flux is one call lasting until its publisher ends, the work
 * its publisher does (a WebClient request, boundedElastic, delayElements) nests under it, and
 * concurrent requests keep their calls apart.
 */
class WebFluxIT {
  static final int UPSTREAM_DELAY_MS = 50;
  static final List<String> PATHS = List.of("/fix/17", "/fix/18", "/stream/4");

  static HttpServer upstream;
  /** Answers by path, and the calls, of the app run under the agent. */
  static Map<String, String> answers;
  static AgentRun.Result run;

  static Path jar() {
    return Path.of(System.getProperty("weft.webflux.jar", "../it-apps/webflux/target/weft-it-webflux.jar")).toAbsolutePath();
  }

  @BeforeAll
  static void serveUnderTheAgent() throws Exception {
    assertTrue(Files.exists(jar()), "build the app first (mvn package -pl it-apps/webflux): " + jar());
    upstream = StubServer.start(exchange -> {
      try {
        Thread.sleep(UPSTREAM_DELAY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String path = exchange.getRequestURI().getPath();
      byte[] body = ("off-by-one in " + path.substring(path.lastIndexOf('/') + 1)).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    answers = new TreeMap<>();
    run = serve(AgentRun.app(), answers);
  }

  @AfterAll
  static void stopUpstream() {
    if (upstream != null) upstream.stop(0);
  }

  /** Starts the app, asks it PATHS (the two fixes at once), stops it; what it answered goes to {@code answers}. */
  static AgentRun.Result serve(AgentRun app, Map<String, String> answers) throws Exception {
    AgentRun.Running running = app.jar(jar())
        .start("--server.port=0", "--upstream.url=http://127.0.0.1:" + upstream.getAddress().getPort());
    try {
      String base = "http://127.0.0.1:" + running.awaitLine("listening on ");
      HttpClient http = HttpClient.newHttpClient();
      Map<String, CompletableFuture<HttpResponse<String>>> fixes = new TreeMap<>();
      for (String path : PATHS.subList(0, 2)) {
        fixes.put(path, http.sendAsync(get(base + path), HttpResponse.BodyHandlers.ofString()));
      }
      for (Map.Entry<String, CompletableFuture<HttpResponse<String>>> fix : fixes.entrySet()) {
        answers.put(fix.getKey(), body(fix.getValue().get()));
      }
      answers.put(PATHS.get(2), body(http.send(get(base + PATHS.get(2)), HttpResponse.BodyHandlers.ofString())));
    } catch (Exception | AssertionError e) {
      running.stop();
      throw e;
    }
    return running.stop();
  }

  static HttpRequest get(String url) {
    return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build();
  }

  static String body(HttpResponse<String> r) {
    assertEquals(200, r.statusCode(), () -> r.uri() + ": " + r.body());
    return r.body();
  }

  static void assertLastsAtLeast(long millis, JsonNode call) {
    Duration d = duration(call);
    assertTrue(d.toMillis() >= millis,
        () -> call.get("op_name").asText() + " lasts until its publisher ends, at least " + millis + " ms: " + d);
  }

  /** The one call of {@code op} whose input {@code id} is {@code id}. */
  static JsonNode forId(String op, String id) {
    List<JsonNode> found = run.where(c -> c.get("op_name").asText().equals(op) && c.at("/inputs/id").asText().equals(id));
    assertEquals(1, found.size(), () -> op + " for id " + id + " in " + run.opNames());
    return found.get(0);
  }

  @Test
  void theAppAnswersAsWithoutTheAgent() throws Exception {
    Map<String, String> plain = new TreeMap<>();
    serve(AgentRun.app().withoutAgent(), plain);
    for (String id : List.of("17", "18")) {
      JsonNode fix = AgentRun.JSON.readTree(plain.get("/fix/" + id));
      assertEquals(AgentRun.JSON.readTree("{\"id\":\"" + id + "\",\"diagnosis\":\"off-by-one in " + id + "\",\"patch\":\"patch-" + id + "\"}"), fix);
      assertEquals(fix, AgentRun.JSON.readTree(answers.get("/fix/" + id)), "same answer under the agent");
    }
    assertEquals("step-1step-2step-3step-4", plain.get("/stream/4"));
    assertEquals(plain.get("/stream/4"), answers.get("/stream/4"), "same answer under the agent");
    assertTrue(!run.stderr.contains("internal failure"), () -> "agent reported a failure:\n" + run.stderr);
  }

  @Test
  void eachRequestIsOneControllerCallLastingUntilItsMonoEmits() {
    assertEquals(2, run.ops("FixController.fix").size(), () -> "one call per request: " + run.opNames());
    for (String id : List.of("17", "18")) {
      JsonNode fix = forId("FixController.fix", id);
      assertTrue(fix.get("parent_id").isNull(), fix::toString);
      assertEquals("off-by-one in " + id, fix.at("/output/diagnosis").asText(), () -> "the emitted map: " + fix);
      assertEquals("patch-" + id, fix.at("/output/patch").asText(), () -> "the emitted map: " + fix);
      assertLastsAtLeast(UPSTREAM_DELAY_MS, fix);
    }
  }

  @Test
  void aWebClientCallLastsAsLongAsTheUpstreamRequest() {
    assertEquals(2, run.ops("FixService.diagnose").size(), () -> "one call per invocation: " + run.opNames());
    for (String id : List.of("17", "18")) {
      JsonNode diagnose = forId("FixService.diagnose", id);
      assertChildOf(forId("FixController.fix", id), diagnose);
      assertEquals("off-by-one in " + id, diagnose.get("output").asText(), diagnose::toString);
      assertLastsAtLeast(UPSTREAM_DELAY_MS, diagnose);
    }
  }

  @Test
  void boundedElasticWorkNestsUnderTheServiceCallThatReturnedIt() {
    assertEquals(2, run.ops("FixService.patch").size(), () -> "one call per invocation: " + run.opNames());
    for (String id : List.of("17", "18")) {
      JsonNode patch = forId("FixService.patch", id);
      JsonNode write = forId("FixService.writePatch", id);
      assertChildOf(forId("FixController.fix", id), patch);
      assertChildOf(patch, write);
      assertTrue(write.at("/attributes/java/thread").asText().startsWith("boundedElastic-"), write::toString);
      assertEquals("patch-" + id, patch.get("output").asText(), patch::toString);
      assertLastsAtLeast(30, patch);
    }
  }

  @Test
  void aStreamedFluxIsOneCallWithItsCountAndFirstElements() {
    JsonNode stream = run.one("FixController.stream");
    JsonNode steps = run.one("FixService.steps");
    assertTrue(stream.get("parent_id").isNull(), stream::toString);
    assertChildOf(stream, steps);
    for (JsonNode call : List.of(stream, steps)) {
      assertEquals(4, call.at("/output/count").asInt(-1), () -> "output {count, first}: " + call);
      ReactorIT.assertFirstElements(List.of("step-1", "step-2", "step-3", "step-4"), call.get("output"));
      assertLastsAtLeast(4 * 20, call);
    }
  }

  @Test
  void concurrentRequestsKeepTheirCallsApart() {
    JsonNode fix17 = forId("FixController.fix", "17");
    JsonNode fix18 = forId("FixController.fix", "18");
    assertNotEquals(fix17.get("trace_id").asText(), fix18.get("trace_id").asText());
    for (JsonNode fix : List.of(fix17, fix18)) {
      String id = fix.at("/inputs/id").asText();
      List<JsonNode> trace = run.where(c -> c.get("trace_id").equals(fix.get("trace_id")));
      assertEquals(List.of("FixController.fix", "FixService.diagnose", "FixService.patch", "FixService.writePatch"),
          trace.stream().map(c -> c.get("op_name").asText()).sorted().collect(Collectors.toList()),
          () -> "the calls of request " + id + ": " + trace);
      for (JsonNode c : trace) assertEquals(id, c.at("/inputs/id").asText(), c::toString);
    }
  }
}
