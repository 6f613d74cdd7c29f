public final class Names {
  /** "ada lovelace" gives "AL"; no name gives "". */
  public static String initials(String fullName) {
    StringBuilder out = new StringBuilder();
    for (String part : fullName.trim().split("\\s+")) {
      if (!part.isEmpty()) {
        out.append(Character.toUpperCase(part.charAt(0)));
      }
    }
    return out.toString();
  }
}
