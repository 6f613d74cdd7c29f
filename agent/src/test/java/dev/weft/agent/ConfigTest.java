package dev.weft.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void commaSeparatedArgumentsKeepCommasInsideValues() {
    Map<String, String> args = Config.parseArgs(
        "exporters=jsonl,console,jsonl.path=/tmp/x.jsonl,methods=a.B[m1,m2];c.D[*]");
    assertEquals("jsonl,console", args.get("exporters"));
    assertEquals("/tmp/x.jsonl", args.get("jsonl.path"));
    assertEquals("a.B[m1,m2];c.D[*]", args.get("methods"));
  }

  @Test
  void newlineSeparatedArgumentsFromAttachAreTakenVerbatim() {
    Map<String, String> args = Config.parseArgs("exporters=jsonl,console\nweft.project=acme/x\n");
    assertEquals("jsonl,console", args.get("exporters"));
    assertEquals("acme/x", args.get("project"));
  }

  @Test
  void environmentVariablesAreUpperCaseWithUnderscores() {
    Config c = new Config(Map.of(), Map.of("WEFT_JSONL_PATH", "/data/calls.jsonl", "WEFT_CAPTURE_MAX_ITEMS", "7"));
    assertEquals("/data/calls.jsonl", c.get(Config.JSONL_PATH));
    assertEquals(7, c.getInt(Config.CAPTURE_MAX_ITEMS));
    Config args = new Config(Map.of("jsonl.path", "/args.jsonl"), Map.of("WEFT_JSONL_PATH", "/env.jsonl"));
    assertEquals("/args.jsonl", args.get(Config.JSONL_PATH));
  }

  @Test
  void agentArgumentsWinOverDefaultsAndBadNumbersFallBack() {
    Config c = Config.of(Map.of("capture.max_items", "lots", "project", "a/b"));
    assertEquals(100, c.getInt(Config.CAPTURE_MAX_ITEMS));
    assertEquals("a/b", c.get(Config.PROJECT));
    assertEquals("weft-calls.jsonl", c.get(Config.JSONL_PATH));
  }

  @Test
  void theQueueIsSizedByTheHeapUnlessGivenAndABadSizeFallsBackToThat() {
    long byHeap = Math.max(8192, Math.min(1 << 20, Runtime.getRuntime().maxMemory() / 16384));
    assertEquals(byHeap, Config.of(Map.of()).queueSize());
    assertEquals(byHeap, Config.of(Map.of("queue.size", "lots")).queueSize());
    assertEquals(1000, Config.of(Map.of("queue.size", "1000")).queueSize());
  }
}
