public final class PriceMathTest {
  public static void tenPercentOff() { Check.eq("discounted(200, 10)", 180.0, PriceMath.discounted(200, 10)); }
  public static void noDiscount() { Check.eq("discounted(50, 0)", 50.0, PriceMath.discounted(50, 0)); }
  public static void halfPrice() { Check.eq("discounted(80, 50)", 40.0, PriceMath.discounted(80, 50)); }
}
