/** The code base's tiny assertion helper: a failure names what was checked, expected and actual. */
public final class Check {
  private Check() {}

  public static void eq(String what, Object expected, Object actual) {
    if (expected == null ? actual != null : !expected.equals(actual)) {
      throw new AssertionError(what + ": expected " + show(expected) + " but was " + show(actual));
    }
  }

  private static String show(Object v) {
    return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
  }
}
