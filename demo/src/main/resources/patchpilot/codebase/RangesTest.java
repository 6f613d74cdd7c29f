public final class RangesTest {
  public static void lowEnd() { Check.eq("contains(1, 1, 5)", true, Ranges.contains(1, 1, 5)); }
  public static void highEnd() { Check.eq("contains(5, 1, 5)", true, Ranges.contains(5, 1, 5)); }
  public static void below() { Check.eq("contains(0, 1, 5)", false, Ranges.contains(0, 1, 5)); }
  public static void above() { Check.eq("contains(6, 1, 5)", false, Ranges.contains(6, 1, 5)); }
}
