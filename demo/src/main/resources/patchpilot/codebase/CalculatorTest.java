public final class CalculatorTest {
  public static void sumOfOne() { Check.eq("sumTo(1)", 1, Calculator.sumTo(1)); }
  public static void sumOfFive() { Check.eq("sumTo(5)", 15, Calculator.sumTo(5)); }
  public static void sumOfZero() { Check.eq("sumTo(0)", 0, Calculator.sumTo(0)); }
}
