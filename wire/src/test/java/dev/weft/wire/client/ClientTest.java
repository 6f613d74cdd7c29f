package dev.weft.wire.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.wire.SpoolFiles;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The links of a client, each against a transport that answers as a picky or failing server would. */
class ClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One POST as the transport saw it. */
  static final class Seen {
    final String path;
    final boolean compressed;
    final JsonNode body;
    final Map<String, String> headers;

    Seen(String path, boolean compressed, JsonNode body, Map<String, String> headers) {
      this.path = path;
      this.compressed = compressed;
      this.body = body;
      this.headers = headers;
    }
  }

  /** A transport that records each POST and answers with the status {@code answer} gives it. */
  static final class Scripted implements Transport {
    final List<Seen> seen = new ArrayList<>();
    final Function<Seen, Integer> answer;
    String answerText = "{}";

    Scripted(Function<Seen, Integer> answer) {
      this.answer = answer;
    }

    @Override
    public Outcome post(String path, Request.Body body, Map<String, String> headers) {
      try {
        boolean gz = Transport.compressed(headers);
        byte[] plain = java.util.Arrays.copyOf(body.bytes, body.length);
        if (gz) plain = SpoolFiles.uncompressed(plain);
        Seen s = new Seen(path, gz, JSON.readTree(plain), headers);
        seen.add(s);
        int status = answer.apply(s);
        return Outcome.of(status, status == 400 && !gz ? answerText : "{\"detail\":\"no\"}", gz);
      } catch (java.io.IOException e) {
        return Outcome.of(400, "not gzip", true);
      }
    }
  }

  static final Notes QUIET = new Notes() {
    @Override
    public void info(String message) {}

    @Override
    public void warn(String message) {}
  };

  static JsonRequest upsert(int calls, int inputChars) throws Exception {
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < calls; i++) {
      if (i > 0) b.append(',');
      b.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"acme/demo\",\"id\":\"c").append(i)
          .append("\",\"trace_id\":\"t\",\"op_name\":\"op\",\"started_at\":\"2025-01-01T00:00:00Z\",\"attributes\":{},")
          .append("\"inputs\":{\"x\":\"").append("x".repeat(inputChars)).append("\"}}}},")
          .append("{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"acme/demo\",\"id\":\"c").append(i)
          .append("\",\"ended_at\":\"2025-01-01T00:00:01Z\",\"summary\":{}}}}");
    }
    return JsonRequest.of("/call/upsert_batch", JSON.readTree(b.append("]}").toString()), calls);
  }

  @Test
  void theOneRuleForWhatAnAnswerMeans() {
    assertEquals(Outcome.Kind.DELIVERED, Outcome.of(201, "", true).kind);
    for (int s : new int[] {408, 429, 500, 502, 503}) assertEquals(Outcome.Kind.RETRY_LATER, Outcome.of(s, "", false).kind);
    assertEquals(Outcome.Kind.TOO_LARGE, Outcome.of(413, "", false).kind);
    assertEquals(Outcome.Kind.CALLS_COMPLETE_REQUIRED,
        Outcome.of(400, "{\"error_code\":\"CALLS_COMPLETE_MODE_REQUIRED\"}", true).kind);
    for (int s : new int[] {400, 415, 422}) {
      assertEquals(Outcome.Kind.COMPRESSION_REFUSED, Outcome.of(s, "", true).kind);
      assertEquals(Outcome.Kind.REFUSED, Outcome.of(s, "", false).kind);
    }
    assertEquals(Outcome.Kind.REFUSED, Outcome.of(404, "", true).kind);
  }

  @Test
  void aServerThatRefusesGzipGetsTheBodyAgainAndNoCompressedOneAfter() throws Exception {
    ServerState state = new ServerState(true);
    Scripted server = new Scripted(s -> s.compressed ? 422 : 200);
    Client client = new Client(List.of(Links.gzip(state, "test", "sending requests", QUIET)), server);
    assertEquals(Outcome.Kind.DELIVERED, client.send(upsert(2, 10)).kind);
    assertEquals(Outcome.Kind.DELIVERED, client.send(upsert(1, 10)).kind);
    assertEquals(List.of(true, false, false), server.seen.stream().map(s -> s.compressed).collect(java.util.stream.Collectors.toList()));
    assertEquals(server.seen.get(0).body, server.seen.get(1).body, "the same body, uncompressed");
    assertFalse(state.compress());
  }

  @Test
  void retriesWhileTheBackoffAllowsThenSaysRetryLater() throws Exception {
    int[] answers = {503, 429, 200};
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    Scripted server = new Scripted(s -> answers[Math.min(n.getAndIncrement(), 2)]);
    Client client = new Client(List.of(Links.retry(attempt -> true)), server);
    assertEquals(Outcome.Kind.DELIVERED, client.send(upsert(1, 1)).kind);
    assertEquals(3, server.seen.size());

    Scripted down = new Scripted(s -> 503);
    Outcome o = new Client(List.of(Links.retry(attempt -> attempt < 2)), down).send(upsert(1, 1));
    assertEquals(Outcome.Kind.RETRY_LATER, o.kind);
    assertEquals(3, down.seen.size(), "a first attempt and two retries");
  }

  @Test
  void aTooLargeRequestGoesAgainInHalvesAndLaterOnesStaySmall() throws Exception {
    ServerState state = new ServerState(false);
    Scripted server = new Scripted(s -> s.body.toString().length() > 1500 ? 413 : 200);
    Client client = new Client(List.of(Links.splitTooLarge(state, QUIET)), server);
    Outcome o = client.send(upsert(8, 300));
    assertEquals(Outcome.Kind.DELIVERED, o.kind, o.toString());
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Seen s : server.seen) {
      if (s.body.toString().length() <= 1500) s.body.get("batch").forEach(i -> ids.add(i.at("/req/start/id").asText() + i.at("/req/end/id").asText()));
    }
    assertEquals(8, ids.size(), "every call arrived");
    assertTrue(state.maxRequestBytes() < ServerState.MAX_REQUEST_BYTES);

    Outcome single = new Client(List.of(Links.splitTooLarge(state, QUIET)), (path, body, headers) -> Outcome.of(413, "", false))
        .send(upsert(1, 10));
    assertEquals(Outcome.Kind.TOO_LARGE, single.kind);
    assertEquals(1, single.lost, "a single call still too large is lost, and counted");
  }

  @Test
  void aProjectInCallsCompleteModeGetsItsCallsThatWayFromThenOn() throws Exception {
    ServerState state = new ServerState(false);
    Scripted server = new Scripted(s -> s.path.equals("/call/upsert_batch") ? 400 : 200);
    server.answerText = "{\"error_code\":\"CALLS_COMPLETE_MODE_REQUIRED\",\"message\":\"upgrade\"}";
    Client client = new Client(List.of(Links.callsComplete(state, QUIET), Links.auth("k")), server);
    assertEquals(Outcome.Kind.DELIVERED, client.send(upsert(3, 1)).kind);
    assertTrue(state.callsComplete("acme/demo"));
    assertEquals(List.of("/call/upsert_batch", "/v2/acme/demo/calls/complete"),
        server.seen.stream().map(s -> s.path).collect(java.util.stream.Collectors.toList()));
    assertEquals(3, server.seen.get(1).body.get("batch").size());
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("api:k".getBytes(StandardCharsets.UTF_8)),
        server.seen.get(1).headers.get("Authorization"));

    client.send(upsert(1, 1));
    assertEquals("/v2/acme/demo/calls/complete", server.seen.get(2).path, "no legacy request once switched");
  }

  @Test
  void aSpoolIsUploadedOldestFirstRefusedFilesSetAsideAndTheRestKeptWhenTheServerFails() throws Exception {
    Path dir = Files.createTempDirectory("weft-spool-test");
    try {
      byte[] calls = gzip(upsert(1, 1).body());
      Files.write(dir.resolve(SpoolFiles.name(1, 1, "/call/upsert_batch")), calls);
      Files.write(dir.resolve(SpoolFiles.name(1, 2, "/obj/create")), gzip(Request.Body.of("{\"obj\":{}}".getBytes(StandardCharsets.UTF_8))));
      Files.write(dir.resolve(SpoolFiles.name(1, 3, "/run/log")), gzip(Request.Body.of("{}".getBytes(StandardCharsets.UTF_8))));
      Files.write(dir.resolve(SpoolFiles.name(1, 4, "/run/finish")), gzip(Request.Body.of("{}".getBytes(StandardCharsets.UTF_8))));
      Scripted server = new Scripted(s -> s.path.equals("/obj/create") ? 422 : s.path.equals("/run/log") ? 503 : 200);
      SpoolUpload.Result r = SpoolUpload.run(dir, new Client(List.of(), server), QUIET, (f, o) -> {});
      assertEquals(1, r.uploaded);
      assertEquals(1, r.rejected);
      assertEquals(2, r.left);
      assertEquals(Outcome.Kind.RETRY_LATER, r.stoppedBy.kind);
      assertEquals(2, SpoolFiles.list(dir).size(), "the failed file and the one after it are kept");
      assertTrue(Files.exists(dir.resolve("rejected").resolve(SpoolFiles.name(1, 2, "/obj/create"))));
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static byte[] gzip(Request.Body body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body.bytes, 0, body.length);
    }
    return out.toByteArray();
  }
}
