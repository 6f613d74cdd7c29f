public final class PriceMath {
  /** The price after a discount of the given percent. */
  public static double discounted(double price, double percent) {
    return price + price * percent / 100;
  }
}
