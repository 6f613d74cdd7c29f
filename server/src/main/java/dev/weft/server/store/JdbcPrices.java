package dev.weft.server.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** {@link PriceStore} on the same SQL database as the calls. */
final class JdbcPrices implements PriceStore {
  private static final String COLUMNS = "project_id, id, llm_id, provider_id, effective_date, prompt_token_cost,"
      + " completion_token_cost, cache_read_input_token_cost, cache_creation_input_token_cost,"
      + " prompt_token_cost_unit, completion_token_cost_unit, created_at, created_by";

  private final Db db;

  JdbcPrices(Db db) {
    this.db = db;
  }

  @Override
  public void addPrices(List<Price> prices) {
    if (prices.isEmpty()) return;
    db.transaction("storing prices", c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO llm_token_prices (" + COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Price p : prices) {
          Db.bind(ps, p.projectId(), p.id(), p.llmId(), p.providerId(), p.effectiveDate());
          ps.setDouble(6, p.promptTokenCost());
          ps.setDouble(7, p.completionTokenCost());
          setDouble(ps, 8, p.cacheReadInputTokenCost());
          setDouble(ps, 9, p.cacheCreationInputTokenCost());
          ps.setString(10, p.promptTokenCostUnit());
          ps.setString(11, p.completionTokenCostUnit());
          ps.setLong(12, p.createdAt());
          ps.setString(13, p.createdBy());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
    if (v == null) ps.setNull(i, java.sql.Types.DOUBLE); else ps.setDouble(i, v);
  }

  @Override
  public List<Price> prices(String projectId) {
    List<Price> out = new ArrayList<>();
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM llm_token_prices WHERE project_id = ? ORDER BY created_at, llm_id, effective_date, id")) {
      ps.setString(1, projectId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Price(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
              rs.getDouble(6), rs.getDouble(7), nullableDouble(rs, 8), nullableDouble(rs, 9), rs.getString(10),
              rs.getString(11), rs.getLong(12), rs.getString(13)));
        }
      }
    } catch (SQLException e) {
      throw new StoreException("reading prices", e);
    }
    return out;
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double v = rs.getDouble(column);
    return rs.wasNull() ? null : v;
  }

  @Override
  public int deletePrices(String projectId, List<String> ids) {
    if (ids.isEmpty()) return 0;
    return db.transaction("deleting prices", c -> {
      String marks = String.join(", ", java.util.Collections.nCopies(ids.size(), "?"));
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM llm_token_prices WHERE project_id = ? AND id IN (" + marks + ")")) {
        List<Object> args = new ArrayList<>(List.of(projectId));
        args.addAll(ids);
        Db.bind(ps, args.toArray());
        return ps.executeUpdate();
      }
    });
  }
}
