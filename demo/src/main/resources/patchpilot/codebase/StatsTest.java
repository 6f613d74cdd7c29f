public final class StatsTest {
  public static void halves() { Check.eq("average({1, 2})", 1.5, Stats.average(new int[] {1, 2})); }
  public static void whole() { Check.eq("average({2, 4})", 3.0, Stats.average(new int[] {2, 4})); }
  public static void none() { Check.eq("average({})", 0.0, Stats.average(new int[0])); }
}
