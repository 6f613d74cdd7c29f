package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The CI gate end to end: runs of an app under the agent, then {@code weft-server.jar compare}
 * exits 0 when no metric regressed beyond its tolerance and 1 when one did.
 */
class CompareIT {
  static final String PROJECT = "acme/ci";

  record Printed(int exit, String stdout, String stderr) {}

  static void job(LiveServer server, String tags, String passRate, String fixTime) throws Exception {
    AgentRun.app().agentArg("exporters=weave").agentArg("endpoint=" + server.base).agentArg("project=" + PROJECT)
        .agentArg("tags=" + tags).run("dev.weft.it.apps.ScoreApp", passRate, fixTime).assertOk();
  }

  static Printed compare(LiveServer server, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("weft.server.jar", "../server/target/weft-server.jar")).toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString(), "compare", "--server", server.base, "--project", PROJECT));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Printed(p.exitValue(), out, err);
  }

  @Test
  void compareExitsOneOnARegressionBeyondItsToleranceAndZeroOtherwise() throws Exception {
    try (LiveServer server = new LiveServer()) {
      job(server, "main", "0.9", "10");
      job(server, "pr-1", "0.9", "12"); // 20% slower

      Printed within = compare(server, "--baseline", "tag:main", "--metric", "pass_rate:0", "--metric", "fix_time_seconds:25%");
      assertEquals(0, within.exit(), within.stdout() + within.stderr());
      assertTrue(within.stdout().matches("(?s).*fix_time_seconds\\s+10\\s+12\\s+\\+2 \\(\\+20%\\)\\s+lower\\s+±25%\\s+WORSE.*"), within.stdout());
      assertTrue(within.stdout().contains("no metric regressed"), within.stdout());

      Printed strict = compare(server, "--baseline", "tag:main", "--candidate", "latest");
      assertEquals(1, strict.exit(), "every metric gated at 0 without --metric: 20% slower regressed\n" + strict.stdout());
      assertTrue(strict.stdout().contains("1 metric(s) regressed"), strict.stdout());

      job(server, "pr-2", "0.8", "10");
      Printed dropped = compare(server, "--baseline", "tag:main", "--metric", "pass_rate:0.05", "--json");
      assertEquals(1, dropped.exit(), dropped.stdout());
      JsonNode result = AgentRun.JSON.readTree(dropped.stdout());
      JsonNode passRate = null;
      for (JsonNode row : result.get("rows")) if (row.get("metric").asText().equals("pass_rate")) passRate = row;
      assertTrue(passRate != null, result.toString());
      assertEquals(0.9, passRate.get("baseline").asDouble(), 1e-9, "the value at the last step, not the first");
      assertEquals(0.8, passRate.get("candidate").asDouble(), 1e-9);
      assertEquals("higher", passRate.get("better").asText());
      assertEquals("regressed", passRate.get("verdict").asText());

      Printed unknown = compare(server, "--baseline", "tag:nightly");
      assertEquals(2, unknown.exit());
      assertTrue(unknown.stderr().contains("no baseline run tagged nightly that has ended"), unknown.stderr());
      Printed bad = compare(server, "--baseline", "tag:main", "--metric", "pass_rate:lots");
      assertEquals(2, bad.exit());
      assertTrue(bad.stderr().contains("not a number"), bad.stderr());
    }
  }
}
