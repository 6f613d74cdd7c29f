package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: a server started with {@code --webhook} tells a receiver, which fails at
 * first, that an app's run under the agent finished; the body arrives signed and is tried again.
 */
class WebhookIT {
  record Received(String event, String delivery, String signature, String body) {}

  static String hmac(String secret, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aFinishedRunReachesAFailingReceiverSignedAfterRetries() throws Exception {
    List<Received> received = new CopyOnWriteArrayList<>();
    AtomicInteger failures = new AtomicInteger(1);
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/ci", x -> {
      received.add(new Received(x.getRequestHeaders().getFirst("X-Weft-Event"), x.getRequestHeaders().getFirst("X-Weft-Delivery"),
          x.getRequestHeaders().getFirst("X-Weft-Signature"),
          new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
      x.sendResponseHeaders(failures.getAndDecrement() > 0 ? 503 : 200, -1);
      x.close();
    });
    receiver.start();
    String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/ci";
    try (LiveServer server = new LiveServer("--webhook", url, "--on", "run.finished,run.failed,metric:pass_rate>0.6",
        "--webhook-secret", "ci-secret")) {
      AgentRun.Result app = AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base)
          .agentArg("project=acme/hooks").run("dev.weft.it.apps.RunApp", "ok").assertOk();
      String runId = RunExportIT.runId(app);
      for (long deadline = System.nanoTime() + 30_000_000_000L; received.size() < 3 && System.nanoTime() < deadline; ) {
        Thread.sleep(100);
      }
      assertEquals(3, received.size(), "the threshold and the end, one of them refused (503) first and sent again: " + received);
      JsonNode finished = null;
      for (Received r : received) {
        assertEquals(hmac("ci-secret", r.body()), r.signature(), "signed with the secret");
        if (r.event().equals("run.finished")) finished = AgentRun.JSON.readTree(r.body());
      }
      assertTrue(finished != null, received.toString());
      assertEquals(runId, finished.at("/run/id").asText());
      assertEquals("finished", finished.at("/run/state").asText());
      assertEquals(0.75, finished.at("/run/metrics/pass_rate").asDouble());
      assertEquals(server.base + "/#/acme/hooks/dashboard?run=" + runId, finished.at("/links/dashboard").asText());
      assertTrue(finished.at("/links/trace").asText().startsWith(server.base + "/#/acme/hooks/traces/"), finished.toString());
      Map<String, List<Received>> byDelivery = received.stream().collect(Collectors.groupingBy(Received::delivery));
      assertEquals(2, byDelivery.size(), "two deliveries, the threshold told once: " + received);
      List<Received> retried = byDelivery.values().stream().filter(l -> l.size() == 2).findFirst().orElseThrow();
      assertEquals(retried.get(0).body(), retried.get(1).body(), "the same body again");

      JsonNode log = server.post("/webhooks/deliveries", "{}").get("deliveries");
      for (long deadline = System.nanoTime() + 10_000_000_000L; !log.toString().matches(".*delivered.*delivered.*")
          && System.nanoTime() < deadline; Thread.sleep(100)) {
        log = server.post("/webhooks/deliveries", "{}").get("deliveries"); // the outcome is recorded after the answer
      }
      assertEquals(2, log.size(), log.toString());
      int attempts = 0;
      for (JsonNode d : log) {
        assertEquals("delivered", d.get("state").asText(), log.toString());
        assertEquals("serve-1", d.get("webhook_id").asText());
        attempts += d.get("attempts").asInt();
      }
      assertEquals(3, attempts, "503 first, then taken");
    } finally {
      receiver.stop(0);
    }
  }
}
