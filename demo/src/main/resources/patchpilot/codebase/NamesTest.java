public final class NamesTest {
  public static void twoNames() { Check.eq("initials(\"ada lovelace\")", "AL", Names.initials("ada lovelace")); }
  public static void extraSpaces() { Check.eq("initials(\" grace  hopper \")", "GH", Names.initials(" grace  hopper ")); }
  public static void noName() { Check.eq("initials(null)", "", Names.initials(null)); }
}
