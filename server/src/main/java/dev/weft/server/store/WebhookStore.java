package dev.weft.server.store;

import java.util.List;
import java.util.Optional;

/** Webhooks set through the API, and the outbox of deliveries to every webhook. */
public interface WebhookStore {
  /**
   * A receiver of run events. {@code events}: {@code run.finished}, {@code run.failed},
   * {@code run.crashed}, {@code metric:NAME<VALUE} or {@code metric:NAME>VALUE}; {@code projectId}
   * null for every project; {@code secret} null for the server's own.
   */
  record Webhook(String id, String url, List<String> events, String projectId, String secret, long createdAt) {}

  /** One event sent, or to be sent, to one webhook. {@code state}: pending, delivered or failed. */
  record Delivery(String id, String webhookId, String url, String event, String projectId, String runId, String payload,
      String state, int attempts, long nextAt, Integer lastStatus, String lastError, long createdAt, Long deliveredAt) {}

  void create(Webhook hook);

  boolean delete(String id);

  List<Webhook> list();

  Optional<Webhook> read(String id);

  /**
   * Queues a delivery, unless this webhook already has one for the same event of the same run
   * (a run is finished, or crosses a threshold, once); whether it was queued.
   */
  boolean enqueue(Delivery delivery);

  /** Pending deliveries due by {@code now}, oldest first, each claimed for {@code leaseMicros} so no other server sends it meanwhile. */
  List<Delivery> claimDue(long now, long leaseMicros, int limit);

  /** The outcome of an attempt: delivered, or pending again at {@code nextAt}, or failed for good. */
  void record(String id, String state, int attempts, long nextAt, Integer status, String error, Long deliveredAt);

  /** The newest deliveries: of one webhook, for one project, or (either null) any. */
  List<Delivery> deliveries(String webhookId, String projectId, int limit);
}
