package dev.weft.it.apps;

import dev.weft.Traced;
import java.util.Arrays;

/** Makes many calls, each with a large string argument, and prints the heap it still uses at the end. */
public class BigCallsApp {
  @Traced
  static int take(String big) {
    return big.length();
  }

  public static void main(String[] args) {
    int calls = Integer.parseInt(args[0]);
    char[] chars = new char[Integer.parseInt(args[1])];
    Arrays.fill(chars, 'x');
    long total = 0;
    for (int i = 0; i < calls; i++) total += take(new String(chars) + i);
    System.gc();
    Runtime rt = Runtime.getRuntime();
    System.out.println("total=" + total);
    System.out.println("used_mb=" + (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024));
  }
}
