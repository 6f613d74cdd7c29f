package dev.weft.agent.capture;

/** How much of one captured value is kept. */
public final class Limits {
  public static final Limits DEFAULT = new Limits(2000, 100, 8, 65536);

  public final int maxString;
  public final int maxItems;
  public final int maxDepth;
  /** Rough budget, in JSON characters, for one value; past it the rest is cut with a marker. */
  public final int maxChars;

  public Limits(int maxString, int maxItems, int maxDepth, int maxChars) {
    this.maxString = Math.max(0, maxString);
    this.maxItems = Math.max(0, maxItems);
    this.maxDepth = Math.max(1, maxDepth);
    this.maxChars = Math.max(16, maxChars);
  }
}
