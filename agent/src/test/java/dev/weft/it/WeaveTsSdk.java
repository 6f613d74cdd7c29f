package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Weave TypeScript SDK (the server module's src/test/node, installed by {@code npm ci}),
 * running one of its scripts against a live server. Also used by the weft-junit module's tests.
 */
public final class WeaveTsSdk {
  /** Where the scripts and node_modules are; overridable, as the tests of other modules run elsewhere. */
  public static final Path NODE_DIR =
      Path.of(System.getProperty("weft.node.dir", "../server/src/test/node")).toAbsolutePath().normalize();

  private WeaveTsSdk() {}

  /**
   * Runs {@code script} writing to {@code project} on the server at {@code base}; fails on any
   * error. Without the SDK installed the test is skipped, except under CI, where it fails.
   */
  public static void write(String base, String script, String project) throws Exception {
    boolean installed = Files.isDirectory(NODE_DIR.resolve("node_modules/weave"));
    if (System.getenv("CI") != null) assertTrue(installed, "CI must install the Weave SDK: npm ci in " + NODE_DIR);
    assumeTrue(installed, "the Weave SDK is not installed: run npm ci in " + NODE_DIR + " (.ci/run does)");
    ProcessBuilder pb = new ProcessBuilder("node", script).directory(NODE_DIR.toFile());
    pb.environment().putAll(Map.of("WANDB_API_KEY", "any-key-works-locally", "WF_TRACE_SERVER_URL", base,
        "WEAVE_PRINT_CALL_LINK", "false", "WEFT_PROJECT", project));
    pb.environment().remove("WANDB_BASE_URL");
    Process node = pb.redirectErrorStream(true).start();
    String out = new String(node.getInputStream().readAllBytes());
    assertTrue(node.waitFor(120, TimeUnit.SECONDS), script + " ended");
    assertEquals(0, node.exitValue(), out);
  }
}
