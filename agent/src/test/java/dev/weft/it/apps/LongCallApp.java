package dev.weft.it.apps;

import dev.weft.Traced;
import java.nio.file.Files;
import java.nio.file.Path;

/** A call that stays running until the file named in args[0] appears, with a child that ends first. */
public class LongCallApp {
  @Traced
  static String step(String name) {
    return "did " + name;
  }

  @Traced
  static String longRunning(String go) throws Exception {
    step("first");
    System.out.println("running");
    System.out.flush();
    for (int i = 0; i < 600 && !Files.exists(Path.of(go)); i++) Thread.sleep(50);
    return "finished";
  }

  public static void main(String[] args) throws Exception {
    System.out.println(longRunning(args[0]));
  }
}
