import java.util.List;

public final class Inventory {
  /** Whether there is nothing to ship: no list, or an empty one. */
  public static boolean isEmpty(List<String> items) {
    return items != null && !items.isEmpty();
  }
}
