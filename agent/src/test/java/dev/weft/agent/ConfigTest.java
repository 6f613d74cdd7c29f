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
  void agentArgumentsWinOverDefaultsAndBadNumbersFallBack() {
    Config c = Config.of(Map.of("queue.size", "lots", "project", "a/b"));
    assertEquals(65536, c.getInt(Config.QUEUE_SIZE));
    assertEquals("a/b", c.get(Config.PROJECT));
    assertEquals("weft-calls.jsonl", c.get(Config.JSONL_PATH));
  }
}
