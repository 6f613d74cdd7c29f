package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The real Weave TypeScript SDK (npm {@code weave}, installed in src/test/node by .ci/run)
 * traces nested ops, an exception and a dataset against a live server, and reads them back.
 */
class WeaveSdkIT {
  static final Path NODE_DIR = Path.of("src/test/node").toAbsolutePath();

  @Test
  void theWeaveSdkTracesNestedOpsAnExceptionAndADataset() throws Exception {
    boolean installed = Files.isDirectory(NODE_DIR.resolve("node_modules/weave"));
    if (System.getenv("CI") != null) {
      assertTrue(installed, "CI must install the Weave SDK: npm ci in " + NODE_DIR);
    }
    assumeTrue(installed, "the Weave SDK is not installed: run npm ci in " + NODE_DIR + " (.ci/run does)");

    try (ServerFixture s = ServerFixture.start()) {
      ProcessBuilder pb = new ProcessBuilder("node", "sdk-trace.mjs").directory(NODE_DIR.toFile());
      Map<String, String> env = pb.environment();
      env.put("WANDB_API_KEY", "any-key-works-locally");
      env.put("WF_TRACE_SERVER_URL", s.base);
      env.put("WEAVE_PRINT_CALL_LINK", "false");
      env.put("WEFT_PROJECT", "weft-test/sdk");
      env.remove("WANDB_BASE_URL");
      Process p = pb.redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes());
      String err = new String(p.getErrorStream().readAllBytes());
      assertTrue(p.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), () -> "node failed:\n" + out + "\n" + err);
      JsonNode seen = ServerFixture.JSON.readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow());
      assertEquals(obj("{'fixed':true,'attempts':2}"), seen.get("result"));
      assertEquals(2, seen.get("datasetRows").asInt());
      assertEquals(6, seen.get("calls").size(), "the SDK reads back all six calls: " + seen);

      JsonNode calls = s.ok("/calls/stream_query", obj("{'project_id':'weft-test/sdk'}"));
      Map<String, List<JsonNode>> byOp = new java.util.HashMap<>();
      for (JsonNode c : calls) byOp.computeIfAbsent(c.at("/summary/weave/trace_name").asText(), k -> new ArrayList<>()).add(c);
      assertEquals(Map.of("run", 1, "diagnose", 1, "generatePatch", 2, "verify", 2),
          byOp.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size())));
      JsonNode root = byOp.get("run").get(0);
      assertTrue(root.get("parent_id").isNull());
      assertTrue(root.get("op_name").asText().startsWith("weave:///weft-test/sdk/op/run:"));
      for (String child : List.of("diagnose", "generatePatch", "verify")) {
        for (JsonNode c : byOp.get(child)) {
          assertEquals(root.get("id"), c.get("parent_id"), child);
          assertEquals(root.get("trace_id"), c.get("trace_id"), child);
        }
      }
      List<JsonNode> failed = byOp.get("verify").stream().filter(c -> !c.get("exception").isNull()).collect(Collectors.toList());
      assertEquals(1, failed.size());
      assertTrue(failed.get(0).get("exception").asText().contains("tests still fail"));
      assertEquals("error", failed.get(0).at("/summary/weave/status").asText());
      assertEquals("success", root.at("/summary/weave/status").asText());
      assertEquals("Calculator.add", root.at("/inputs/arg0").asText(), root.toString()); // the TS SDK names arguments by position

      JsonNode datasets = s.ok("/objs/query", obj("{'project_id':'weft-test/sdk','filter':{'base_object_classes':['Dataset']}}"));
      assertEquals(1, datasets.get("objs").size(), datasets.toString());
      assertEquals("seeded-bugs", datasets.at("/objs/0/object_id").asText());
      JsonNode ops = s.ok("/objs/query", obj("{'project_id':'weft-test/sdk','filter':{'is_op':true}}"));
      assertEquals(4, ops.get("objs").size(), ops.toString());
    }
  }
}
