public final class Stats {
  /** The mean of the values; 0 for none. */
  public static double average(int[] values) {
    if (values.length == 0) {
      return 0;
    }
    int sum = 0;
    for (int v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
