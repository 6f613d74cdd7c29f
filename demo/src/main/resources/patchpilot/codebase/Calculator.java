public final class Calculator {
  /** 1 + 2 + ... + n. */
  public static int sumTo(int n) {
    int sum = 0;
    for (int i = 1; i < n; i++) {
      sum += i;
    }
    return sum;
  }
}
