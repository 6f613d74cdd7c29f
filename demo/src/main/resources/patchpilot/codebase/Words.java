public final class Words {
  /** "java" gives "Java". */
  public static String capitalize(String word) {
    if (word.isEmpty()) {
      return word;
    }
    return word.substring(0, 1).toUpperCase() + word.substring(0);
  }
}
