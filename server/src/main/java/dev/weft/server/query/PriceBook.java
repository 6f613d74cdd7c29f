package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.request.Fields;
import dev.weft.server.store.PriceStore.Price;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The LLM token prices that apply in one project, and what a call's usage costs under them
 * (docs/server-api.md, "Costs"). For a model and a call's start: the newest price in effect at the
 * start, the project's own before the built-in ones ({@code prices/llm-token-prices.csv}); usage
 * whose model name ends in a date that has no price takes its undated name's. A model with no
 * price in effect has none: its tokens are counted and its cost stays unknown.
 */
public final class PriceBook {
  /** The built-in prices' level and level id, as Weave names its default prices. */
  public static final String DEFAULT = "default";
  private static final Pattern DATED = Pattern.compile("(.+)-(\\d{4}-\\d{2}-\\d{2}|\\d{8})");
  private static final Map<String, List<Price>> BUILT_IN = byModel(load("/prices/llm-token-prices.csv"));

  /** The project's own prices by model, newest first. */
  private final Map<String, List<Price>> own;

  private PriceBook(List<Price> projectPrices) {
    this.own = byModel(projectPrices);
  }

  /** The prices of a project: its own ({@link dev.weft.server.store.PriceStore#prices}) over the built-in ones. */
  public static PriceBook of(List<Price> projectPrices) {
    return new PriceBook(projectPrices);
  }

  private static Map<String, List<Price>> byModel(List<Price> prices) {
    Map<String, List<Price>> out = new HashMap<>();
    for (Price p : prices) out.computeIfAbsent(p.llmId(), k -> new ArrayList<>()).add(p);
    Comparator<Price> newestFirst = Comparator.comparingLong(Price::effectiveDate)
        .thenComparingLong(Price::createdAt).reversed();
    for (List<Price> list : out.values()) list.sort(newestFirst);
    return out;
  }

  /** The price of {@code model}'s tokens for a call started at {@code startedAt} (epoch µs), or null. */
  public Price priceFor(String model, long startedAt) {
    Matcher dated = DATED.matcher(model);
    for (String name : dated.matches() ? List.of(model, dated.group(1)) : List.of(model)) {
      Price p = newestInEffect(own.get(name), startedAt);
      if (p == null) p = newestInEffect(BUILT_IN.get(name), startedAt);
      if (p != null) return p;
    }
    return null;
  }

  private static Price newestInEffect(List<Price> newestFirst, long startedAt) {
    if (newestFirst == null) return null;
    for (Price p : newestFirst) if (p.effectiveDate() <= startedAt) return p;
    return null;
  }

  /** The usage of one model in a call's (or a run's) summary, and its price, null if unknown. */
  public record ModelCost(String model, long requests, long promptTokens, long completionTokens, long totalTokens,
      long cacheReadInputTokens, long cacheCreationInputTokens, Price price) {

    /** Prompt tokens neither read from nor written to a prompt cache: those at the prompt price. */
    public double promptTokensTotalCost() {
      return Math.max(0, promptTokens - cacheReadInputTokens - cacheCreationInputTokens) * price.promptTokenCost();
    }

    public double completionTokensTotalCost() {
      return completionTokens * price.completionTokenCost();
    }

    public double cacheReadInputTokensTotalCost() {
      return cacheReadInputTokens * cacheReadInputTokenCost();
    }

    public double cacheCreationInputTokensTotalCost() {
      return cacheCreationInputTokens * cacheCreationInputTokenCost();
    }

    /** Cached prompt tokens cost the prompt price unless the price says otherwise. */
    public double cacheReadInputTokenCost() {
      return price.cacheReadInputTokenCost() != null ? price.cacheReadInputTokenCost() : price.promptTokenCost();
    }

    public double cacheCreationInputTokenCost() {
      return price.cacheCreationInputTokenCost() != null ? price.cacheCreationInputTokenCost() : price.promptTokenCost();
    }

    public double totalCost() {
      return promptTokensTotalCost() + cacheReadInputTokensTotalCost() + cacheCreationInputTokensTotalCost()
          + completionTokensTotalCost();
    }
  }

  /**
   * Each model's usage in {@code usage} (a summary's {@code usage} object) and what it cost for a
   * call started at {@code startedAt}. Either spelling of a count is read, Weave's and the
   * agent's: {@code prompt_tokens} or {@code input_tokens}, {@code cache_read_input_tokens} or
   * {@code cached_tokens}, and so on; prompt tokens include cached ones, as OpenAI counts them.
   */
  public List<ModelCost> costs(JsonNode usage, long startedAt) {
    List<ModelCost> out = new ArrayList<>();
    if (usage == null || !usage.isObject()) return out;
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) usage::fields) {
      JsonNode u = e.getValue();
      if (!u.isObject()) continue;
      long prompt = count(u, "prompt_tokens", "input_tokens");
      long completion = count(u, "completion_tokens", "output_tokens");
      long total = u.has("total_tokens") ? count(u, "total_tokens", null) : prompt + completion;
      out.add(new ModelCost(e.getKey(), count(u, "requests", null), prompt, completion, total,
          count(u, "cache_read_input_tokens", "cached_tokens"),
          count(u, "cache_creation_input_tokens", "cache_creation_tokens"), priceFor(e.getKey(), startedAt)));
    }
    return out;
  }

  private static long count(JsonNode u, String name, String otherSpelling) {
    JsonNode v = u.get(name);
    if ((v == null || !v.isNumber()) && otherSpelling != null) v = u.get(otherSpelling);
    return v != null && v.isNumber() ? v.asLong() : 0;
  }

  /** The built-in table: USD per million tokens in the file, per token here. */
  private static List<Price> load(String resource) {
    List<Price> out = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(
        PriceBook.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isBlank() || line.startsWith("#")) continue;
        String[] f = line.split(",", -1);
        long effective = Fields.timestamp(f[2] + "T00:00:00Z", "effective_date");
        out.add(new Price(null, DEFAULT + ":" + f[0] + ":" + f[2], f[0], f[1], effective, perToken(f[3]),
            perToken(f[6]), f[4].isEmpty() ? null : perToken(f[4]), f[5].isEmpty() ? null : perToken(f[5]),
            "USD", "USD", effective, null));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static double perToken(String perMillion) {
    return new java.math.BigDecimal(perMillion).movePointLeft(6).doubleValue();
  }
}
