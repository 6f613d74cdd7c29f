public final class TemperatureTest {
  public static void freezing() { Check.eq("toCelsius(32)", 0.0, Temperature.toCelsius(32)); }
  public static void boiling() { Check.eq("toCelsius(212)", 100.0, Temperature.toCelsius(212)); }
}
