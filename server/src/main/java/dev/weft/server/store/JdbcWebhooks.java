package dev.weft.server.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link WebhookStore} on the same SQL database as the runs. */
final class JdbcWebhooks implements WebhookStore {
  private static final String DELIVERY_COLUMNS = "id, webhook_id, url, event, project_id, run_id, payload, state,"
      + " attempts, next_at, last_status, last_error, created_at, delivered_at";
  private final Db db;
  private final ObjectMapper json = new ObjectMapper();

  JdbcWebhooks(Db db) {
    this.db = db;
  }

  @Override
  public void create(Webhook h) {
    db.write("creating a webhook", c -> update(c, "INSERT INTO webhooks (id, url, events, project_id, secret, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)", h.id(), h.url(), json.writeValueAsString(h.events()), h.projectId(), h.secret(), h.createdAt()));
  }

  @Override
  public boolean delete(String id) {
    return db.write("deleting a webhook", c -> update(c, "DELETE FROM webhooks WHERE id = ?", id)) > 0;
  }

  @Override
  public List<Webhook> list() {
    return hooks("SELECT id, url, events, project_id, secret, created_at FROM webhooks ORDER BY created_at, id");
  }

  @Override
  public Optional<Webhook> read(String id) {
    return hooks("SELECT id, url, events, project_id, secret, created_at FROM webhooks WHERE id = ?", id).stream().findFirst();
  }

  private List<Webhook> hooks(String sql, Object... args) {
    List<Webhook> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          List<String> events = new ArrayList<>();
          json.readTree(rs.getString(3)).forEach(e -> events.add(e.asText()));
          out.add(new Webhook(rs.getString(1), rs.getString(2), events, rs.getString(4), rs.getString(5), rs.getLong(6)));
        }
      }
    } catch (SQLException | IOException e) {
      throw new StoreException("reading webhooks", e);
    }
    return out;
  }

  @Override
  public boolean enqueue(Delivery d) {
    return db.transaction("queueing a webhook delivery", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM webhook_deliveries WHERE project_id = ? AND run_id = ?"
          + " AND webhook_id = ? AND event = ?")) {
        Db.bind(ps, d.projectId(), d.runId(), d.webhookId(), d.event());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) return false;
        }
      }
      update(c, "INSERT INTO webhook_deliveries (" + DELIVERY_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          d.id(), d.webhookId(), d.url(), d.event(), d.projectId(), d.runId(), d.payload(), d.state(), d.attempts(),
          d.nextAt(), d.lastStatus(), d.lastError(), d.createdAt(), d.deliveredAt());
      return true;
    });
  }

  @Override
  public List<Delivery> claimDue(long now, long leaseMicros, int limit) {
    List<Delivery> due = deliveries("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries WHERE state = 'pending'"
        + " AND next_at <= ? ORDER BY next_at LIMIT " + limit, now);
    List<Delivery> claimed = new ArrayList<>();
    for (Delivery d : due) {
      // Claimed by moving its time on, if no other server moved it first.
      boolean mine = db.write("claiming a webhook delivery", c -> update(c, "UPDATE webhook_deliveries SET next_at = ?"
          + " WHERE id = ? AND state = 'pending' AND next_at = ?", now + leaseMicros, d.id(), d.nextAt())) > 0;
      if (mine) claimed.add(d);
    }
    return claimed;
  }

  @Override
  public void record(String id, String state, int attempts, long nextAt, Integer status, String error, Long deliveredAt) {
    db.write("recording a webhook delivery", c -> update(c, "UPDATE webhook_deliveries SET state = ?, attempts = ?,"
        + " next_at = ?, last_status = ?, last_error = ?, delivered_at = ? WHERE id = ?",
        state, attempts, nextAt, status, error, deliveredAt, id));
  }

  @Override
  public List<Delivery> deliveries(String webhookId, String projectId, int limit) {
    List<String> where = new ArrayList<>();
    List<Object> args = new ArrayList<>();
    if (webhookId != null) {
      where.add("webhook_id = ?");
      args.add(webhookId);
    }
    if (projectId != null) {
      where.add("project_id = ?");
      args.add(projectId);
    }
    return deliveries("SELECT " + DELIVERY_COLUMNS + " FROM webhook_deliveries"
        + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY created_at DESC, id LIMIT " + limit, args.toArray());
  }

  private List<Delivery> deliveries(String sql, Object... args) {
    List<Delivery> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          int status = rs.getInt(11);
          Integer lastStatus = rs.wasNull() ? null : status;
          String error = rs.getString(12);
          long created = rs.getLong(13);
          long delivered = rs.getLong(14);
          Long deliveredAt = rs.wasNull() ? null : delivered;
          out.add(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getString(7), rs.getString(8), rs.getInt(9), rs.getLong(10), lastStatus, error,
              created, deliveredAt));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading webhook deliveries", e);
    }
    return out;
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Db.bind(ps, args);
      return ps.executeUpdate();
    }
  }
}
