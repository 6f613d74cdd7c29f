package dev.weft.server.store;

import java.util.List;

/** A project's own LLM token prices, as Weave's cost routes create, query and purge them. */
public interface PriceStore {

  /**
   * One price, in USD (or {@code *Unit}) per token, in effect for calls started at or after
   * {@code effectiveDate} (epoch microseconds). The cache prices are null where not set.
   */
  record Price(String projectId, String id, String llmId, String providerId, long effectiveDate,
      double promptTokenCost, double completionTokenCost, Double cacheReadInputTokenCost,
      Double cacheCreationInputTokenCost, String promptTokenCostUnit, String completionTokenCostUnit,
      long createdAt, String createdBy) {}

  /** Stores the prices in one transaction. */
  void addPrices(List<Price> prices);

  /** Every price of the project. */
  List<Price> prices(String projectId);

  /** Deletes the project's prices with these ids; returns how many went. */
  int deletePrices(String projectId, List<String> ids);
}
