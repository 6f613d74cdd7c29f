package dev.weft.it.apps;

import dev.weft.Traced;

/** Calls System.exit from inside a traced call: every call that ended before must be exported. */
public class ExitApp {
  @Traced
  static int step(int i) {
    return i;
  }

  @Traced
  static void run(int steps, int status) {
    for (int i = 0; i < steps; i++) step(i);
    System.exit(status);
  }

  public static void main(String[] args) {
    run(Integer.parseInt(args[0]), Integer.parseInt(args[1]));
  }
}
