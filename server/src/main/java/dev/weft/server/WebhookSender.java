package dev.weft.server;

import dev.weft.server.query.RunEvents;
import dev.weft.server.store.WebhookStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the webhook outbox: each due delivery POSTed on threads of its own, never a request
 * thread's, signed with HMAC-SHA256 of the body in {@code X-Weft-Signature: sha256=HEX}. A
 * failure (no answer in 10 s, or not 2xx) is tried again after 1, 2, 4 … s, up to 5 minutes
 * apart, {@value #ATTEMPTS} times in all, then it is failed. Any server sending from the same
 * database takes a delivery only once.
 */
final class WebhookSender implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookSender.class);
  static final int ATTEMPTS = 8;
  private static final long LEASE_MICROS = 60_000_000L;

  private final WebhookStore store;
  private final RunEvents events;
  private final String serverSecret;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("weft-webhooks"));
  private final ExecutorService senders = Executors.newFixedThreadPool(4, daemon("weft-webhook-send"));

  /** {@code serverSecret}: the secret of webhooks that have none of their own; null sends them unsigned. */
  WebhookSender(WebhookStore store, RunEvents events, String serverSecret) {
    this.store = store;
    this.events = events;
    this.serverSecret = serverSecret;
    timer.scheduleWithFixedDelay(this::sendDue, 500, 500, TimeUnit.MILLISECONDS);
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  private void sendDue() {
    try {
      for (WebhookStore.Delivery d : store.claimDue(System.currentTimeMillis() * 1000, LEASE_MICROS, 20)) {
        senders.execute(() -> send(d));
      }
    } catch (RuntimeException e) {
      log.warn("could not read the webhook outbox: {}", e.toString());
    }
  }

  private void send(WebhookStore.Delivery d) {
    int attempt = d.attempts() + 1;
    Integer status = null;
    String error;
    try {
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(d.url())).timeout(Duration.ofSeconds(10))
          .header("Content-Type", "application/json").header("User-Agent", "weft-server")
          .header("X-Weft-Event", d.event()).header("X-Weft-Delivery", d.id())
          .POST(HttpRequest.BodyPublishers.ofString(d.payload(), StandardCharsets.UTF_8));
      String secret = secretOf(d.webhookId());
      if (secret != null) r.header("X-Weft-Signature", sign(secret, d.payload()));
      HttpResponse<Void> answer = http.send(r.build(), HttpResponse.BodyHandlers.discarding());
      status = answer.statusCode();
      error = status / 100 == 2 ? null : "HTTP " + status;
    } catch (Exception e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
    long now = System.currentTimeMillis() * 1000;
    try {
      if (error == null) {
        store.record(d.id(), "delivered", attempt, now, status, null, now);
      } else if (attempt >= ATTEMPTS) {
        store.record(d.id(), "failed", attempt, now, status, error, null);
        log.warn("webhook {} gave up on {} of run {} after {} attempts: {}", d.url(), d.event(), d.runId(), attempt, error);
      } else {
        store.record(d.id(), "pending", attempt, now + backoffMicros(attempt), status, error, null);
      }
    } catch (RuntimeException e) {
      log.warn("could not record a webhook delivery: {}", e.toString()); // its lease runs out: sent again
    }
  }

  /** After the n-th failed attempt: 1, 2, 4 … s, at most 5 minutes. */
  static long backoffMicros(int attempt) {
    return Math.min(300L, 1L << Math.min(attempt - 1, 16)) * 1_000_000L;
  }

  private String secretOf(String webhookId) {
    for (WebhookStore.Webhook h : events.hooks()) {
      if (h.id().equals(webhookId)) return h.secret() != null ? h.secret() : serverSecret;
    }
    return serverSecret;
  }

  /** {@code sha256=} and the HMAC-SHA256 of {@code body} under {@code secret}, in hex. */
  static String sign(String secret, String body) throws java.security.GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    senders.shutdownNow();
  }
}
