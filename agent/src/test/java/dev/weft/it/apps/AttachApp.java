package dev.weft.it.apps;

import dev.weft.Traced;
import dev.weft.Weft;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Runs traced methods before and after an agent is attached at run time: prints its pid, waits
 * for the file named in args[0] to appear, then works again and exits.
 */
public class AttachApp {
  @Traced
  static int step(int i) {
    return nested(i) + 1;
  }

  @Traced
  static int nested(int i) {
    return i * 10;
  }

  public static void main(String[] args) throws Exception {
    int sum = 0;
    for (int i = 0; i < 20_000; i++) sum += step(i); // loaded, run and compiled before attach
    System.out.println("ready " + ProcessHandle.current().pid());
    System.out.flush();
    Path go = Path.of(args[0]);
    for (int i = 0; i < 600 && !Files.exists(go); i++) Thread.sleep(100);
    for (int i = 0; i < 3; i++) sum += step(i);
    System.out.println("sum " + sum + " active " + Weft.isActive());
  }
}
