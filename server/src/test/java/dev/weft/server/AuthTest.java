package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With --api-key every API request needs the key; a non-loopback bind needs one at all. */
class AuthTest {
  @Test
  void requestsWithoutTheKeyAre401AndWithItPass() throws Exception {
    try (ServerFixture s = new ServerFixture("s3cret", 1 << 20)) {
      String q = obj("{'project_id':'e/p'}").toString();
      assertEquals(200, s.post("/calls/query", q).status());
      s.apiKey = "wrong";
      assertEquals(401, s.post("/calls/query", q).status());
      s.apiKey = null;
      ServerFixture.Response none = s.post("/calls/query", q);
      assertEquals(401, none.status());
      assertTrue(none.json().get("detail").asText().contains("API key"));
      HttpResponse<String> header = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/calls/query"))
          .header("wandb-api-key", "s3cret").POST(HttpRequest.BodyPublishers.ofString(q)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, header.statusCode());
      HttpResponse<String> health = s.http.send(HttpRequest.newBuilder(URI.create(s.base + "/health")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, health.statusCode(), "liveness needs no key");
    }
  }

  @Test
  void bindingANonLoopbackAddressWithoutAKeyIsRefused() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path data = Files.createTempDirectory("weft-bind");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.weft.server.Main",
        "serve", "--host", "0.0.0.0", "--port", "0", "--data", data.toString())
        .redirectErrorStream(true).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(2, p.exitValue(), out);
    assertTrue(out.contains("refusing to listen on 0.0.0.0 without --api-key"), out);
  }
}
