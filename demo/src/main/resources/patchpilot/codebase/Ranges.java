public final class Ranges {
  /** Whether value lies in [low, high], both ends included. */
  public static boolean contains(int value, int low, int high) {
    return value > low && value <= high;
  }
}
