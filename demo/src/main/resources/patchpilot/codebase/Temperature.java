public final class Temperature {
  /** Fahrenheit to Celsius. */
  public static double toCelsius(double fahrenheit) {
    return fahrenheit - 32 * 5 / 9;
  }
}
