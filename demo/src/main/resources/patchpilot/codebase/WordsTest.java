public final class WordsTest {
  public static void word() { Check.eq("capitalize(\"java\")", "Java", Words.capitalize("java")); }
  public static void letter() { Check.eq("capitalize(\"x\")", "X", Words.capitalize("x")); }
  public static void empty() { Check.eq("capitalize(\"\")", "", Words.capitalize("")); }
}
