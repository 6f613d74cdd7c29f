import java.util.List;

public final class InventoryTest {
  public static void emptyList() { Check.eq("isEmpty([])", true, Inventory.isEmpty(List.of())); }
  public static void oneItem() { Check.eq("isEmpty([widget])", false, Inventory.isEmpty(List.of("widget"))); }
  public static void noList() { Check.eq("isEmpty(null)", true, Inventory.isEmpty(null)); }
}
