package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Webhooks set through the API, the events they get, signed, and their delivery log, once per store. */
abstract class WebhooksApiContract extends StoreContract {

  void run(String id, String project) throws Exception {
    s.ok("/run/start", obj("{'run':{'project_id':'" + project + "','id':'" + id + "','name':'nightly " + id + "'}}"));
  }

  @Test
  void aRunThatEndsAndAMetricThatCrossesItsThresholdAreDeliveredSignedOnce() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      String id = s.ok("/webhooks/create", obj("{'url':'" + receiver.url + "','project_id':'e/p','secret':'s3cret',"
          + "'events':['run.finished','metric:pass_rate<0.5']}")).get("id").asText();
      run("r1", "e/p");
      run("other", "e/q"); // another project's run: not this webhook's
      s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r1','points':[{'step':0,'metrics':{'pass_rate':0.4}}]}"));
      s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r1','points':[{'step':1,'metrics':{'pass_rate':0.3}}]}"));
      s.ok("/run/summary", obj("{'project_id':'e/p','run_id':'r1','summary':{'bugs_fixed':4}}"));
      s.ok("/run/finish", obj("{'project_id':'e/p','id':'r1','state':'finished'}"));
      s.ok("/run/finish", obj("{'project_id':'e/q','id':'other','state':'finished'}"));

      List<WebhookReceiver.Received> got = receiver.await(2, 20);
      Thread.sleep(1500); // nothing more comes: a threshold crossed twice is sent once
      assertEquals(2, receiver.received.size(), receiver.received.toString());
      for (WebhookReceiver.Received r : got) {
        assertEquals(WebhookReceiver.signature("s3cret", r.body()), r.headers().get("x-weft-signature"));
      }
      // Sent side by side: in either order.
      WebhookReceiver.Received first = got.get(0), second = got.get(1);
      WebhookReceiver.Received end = first.headers().get("x-weft-event").equals("run.finished") ? first : second;
      JsonNode threshold = ServerFixture.JSON.readTree((end == first ? second : first).body());
      assertEquals("metric:pass_rate<0.5", threshold.get("event").asText());
      assertEquals(0.4, threshold.at("/run/metrics/pass_rate").asDouble());
      JsonNode finished = ServerFixture.JSON.readTree(end.body());
      assertEquals("run.finished", finished.get("event").asText());
      assertEquals("r1", finished.at("/run/id").asText());
      assertEquals("nightly r1", finished.at("/run/name").asText());
      assertEquals("finished", finished.at("/run/state").asText());
      assertEquals(0.3, finished.at("/run/metrics/pass_rate").asDouble());
      assertEquals(4, finished.at("/run/metrics/bugs_fixed").asInt());
      assertEquals(s.base + "/#/e/p/dashboard?run=r1", finished.at("/links/dashboard").asText());

      JsonNode log = s.ok("/webhooks/deliveries", obj("{'webhook_id':'" + id + "'}")).get("deliveries");
      assertEquals(2, log.size());
      for (JsonNode d : log) {
        assertEquals("delivered", d.get("state").asText());
        assertEquals(204, d.get("last_status").asInt());
        assertEquals(1, d.get("attempts").asInt());
      }
      JsonNode hooks = s.ok("/webhooks/query", obj("{}")).get("webhooks");
      assertEquals(1, hooks.size());
      assertTrue(hooks.get(0).get("signed").asBoolean());
      assertFalse(hooks.toString().contains("s3cret"), "a secret is never read back");
    }
  }

  @Test
  void aFailingReceiverIsTriedAgainUntilItTakesTheDelivery() throws Exception {
    try (WebhookReceiver receiver = new WebhookReceiver(2)) {
      s.ok("/webhooks/create", obj("{'url':'" + receiver.url + "','events':['run.failed']}"));
      run("r2", "e/p");
      s.ok("/run/finish", obj("{'project_id':'e/p','id':'r2','state':'failed'}"));
      assertEquals(3, receiver.await(3, 30).size(), "500, 500 (1 s and 2 s later), then taken");
      JsonNode d = null;
      for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(100)) {
        d = s.ok("/webhooks/deliveries", obj("{}")).at("/deliveries/0");
        if (d.get("state").asText().equals("delivered")) break;
      }
      assertEquals("delivered", d.get("state").asText(), d.toString());
      assertEquals(3, d.get("attempts").asInt());
      assertTrue(receiver.received.get(0).headers().get("x-weft-signature") == null, "no secret anywhere: unsigned");
      assertEquals(receiver.received.get(0).body(), receiver.received.get(2).body(), "the same body each time");

      // A project's settings page lists its own deliveries only.
      JsonNode mine = s.ok("/webhooks/deliveries", obj("{'project_id':'e/p'}")).get("deliveries");
      List<String> ids = new ArrayList<>();
      for (JsonNode m : mine) {
        assertEquals("e/p", m.get("project_id").asText());
        ids.add(m.get("id").asText());
      }
      assertTrue(ids.contains(d.get("id").asText()), mine.toString());
      assertEquals(0, s.ok("/webhooks/deliveries", obj("{'project_id':'e/elsewhere'}")).get("deliveries").size());
    }
  }

  @Test
  void badWebhooksAreRefusedClearly() throws Exception {
    ServerFixture.Response noScheme = s.post("/webhooks/create", obj("{'url':'ftp://example/hook'}").toString());
    assertEquals(422, noScheme.status());
    assertTrue(noScheme.body().contains("http:// or https://"), noScheme.body());
    ServerFixture.Response badEvent = s.post("/webhooks/create", obj("{'url':'http://127.0.0.1:9/h','events':['run.exploded']}").toString());
    assertEquals(422, badEvent.status());
    assertTrue(badEvent.body().contains("unknown event 'run.exploded'"), badEvent.body());
    assertEquals(404, s.post("/webhooks/delete", obj("{'id':'hook-nope'}").toString()).status());
    String id = s.ok("/webhooks/create", obj("{'url':'http://127.0.0.1:9/h'}")).get("id").asText();
    assertEquals(List.of("run.finished", "run.failed", "run.crashed"), ServerFixture.JSON.convertValue(
        s.ok("/webhooks/query", obj("{}")).at("/webhooks/0/events"), List.class), "the run's ends by default");
    s.ok("/webhooks/delete", obj("{'id':'" + id + "'}"));
    assertEquals(0, s.ok("/webhooks/query", obj("{}")).get("webhooks").size());
  }
}
