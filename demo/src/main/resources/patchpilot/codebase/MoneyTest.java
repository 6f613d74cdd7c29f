public final class MoneyTest {
  public static void dollarsAndCents() { Check.eq("format(1234)", "$12.34", Money.format(1234)); }
  public static void fewCents() { Check.eq("format(505)", "$5.05", Money.format(505)); }
  public static void centsOnly() { Check.eq("format(7)", "$0.07", Money.format(7)); }
}
