package dev.weft.it.apps;

import dev.weft.Weft;
import java.util.Map;

/**
 * A training job's run: logs {@code loss} at three steps with {@code config.lr} from args[1], then
 * exits ({@code args[0]} = steps), or logs one step and waits to be killed ({@code hang}).
 */
public class ResumeApp {
  public static void main(String[] args) throws Exception {
    Weft.config(Map.of("lr", Double.parseDouble(args[1])));
    int steps = args[0].equals("hang") ? 1 : 3;
    for (int i = 0; i < steps; i++) Weft.log(Map.of("loss", 1.0 / (i + 1)));
    System.out.println("logged " + steps);
    if (args[0].equals("hang")) Thread.sleep(120_000);
  }
}
