package dev.weft.it.apps;

import dev.weft.Weft;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code log NAME DIR [ALIAS]}: logs DIR as a version of artifact NAME; {@code use REF}: uses a
 * version. Prints {@code run ID}, then {@code digest D} or {@code path P}.
 */
public class ArtifactApp {
  public static void main(String[] args) {
    System.out.println("run " + Weft.runId());
    if (args[0].equals("log")) {
      List<String> aliases = args.length > 3 ? List.of(args[3]) : List.of();
      String digest = Weft.artifact(args[1], "checkpoint", Map.of("epoch", 3, "val_loss", 0.25), aliases, Path.of(args[2]));
      System.out.println("digest " + digest);
    } else {
      System.out.println("path " + Weft.useArtifact(args[1]));
    }
  }
}
