public final class Money {
  /** 1234 cents as "$12.34". */
  public static String format(long cents) {
    return String.format("$%d.%d", cents / 100, cents % 100);
  }
}
