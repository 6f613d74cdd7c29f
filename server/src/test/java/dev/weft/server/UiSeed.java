package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the UI tests look at, written through the server's own API the way the agent writes it:
 * PatchPilot-like traces (one with a failure, one still running), six runs with metrics, and a
 * project whose every user-written field is a script payload.
 */
final class UiSeed {
  static final String PROJECT = "acme/patchpilot";
  static final String[] BUGS = {"Calculator", "StringUtils", "DateRange", "Inventory"};
  static final String[] AGENTS = {"TesterAgent.runTest", "TriageAgent.diagnose", "FixerAgent.generatePatch",
      "VerifierAgent.verify"};
  /** Runs in an onerror handler or a script element, if the page ever parses user data as HTML. */
  static final String IMG = "<img src=x onerror=\"window.__pwned=(window.__pwned||0)+1\">";
  static final String SCRIPT = "<script>window.__pwned=(window.__pwned||0)+1</script>";
  static final String XSS_PROJECT = "acme/" + IMG;
  static final long T0 = Instant.parse("2026-11-20T09:00:00Z").toEpochMilli();

  private final ServerFixture s;
  private final String project;
  private final ArrayNode batch = ServerFixture.JSON.createArrayNode();

  private UiSeed(ServerFixture s, String project) {
    this.s = s;
    this.project = project;
  }

  /** Three finished traces of 37 calls, one failing diagnosis in trace-2, and trace-live still running. */
  static void patchPilot(ServerFixture s) throws Exception {
    UiSeed seed = new UiSeed(s, PROJECT);
    for (int t = 0; t < 3; t++) {
      String trace = "trace-" + t;
      String root = "root-" + t;
      long start = T0 + t * 60_000L;
      seed.call(root, null, trace, "Orchestrator.run", start, start + 4200, "{'seed':42,'maxIterations':3}",
          "{'passRate':0.875,'fixed':7}", null);
      long bugStart = start + 10;
      for (int b = 0; b < BUGS.length; b++) {
        String fix = t + "-fix-" + b;
        seed.call(fix, root, trace, "Orchestrator.fixBug", bugStart, bugStart + 900, "{'bug':'" + BUGS[b] + "'}",
            "{'fixed':" + (b != 2) + "}", null);
        long at = bugStart + 5;
        for (int it = 0; it < 2; it++) {
          String failure = b == 2 && it == 1 ? exception("java.lang.IllegalStateException", "no rule fits this failure") : null;
          seed.call(fix + "-t" + it, fix, trace, AGENTS[0], at, at + 120, "{'className':'" + BUGS[b] + "','iteration':" + it + "}",
              "{'passed':3,'failed':1}", null);
          seed.call(fix + "-d" + it, fix, trace, AGENTS[1], at + 125, at + 200, "{'failure':'expected 10 but was 9'}",
              failure == null ? "{'kind':'off_by_one'}" : "null", failure);
          seed.call(fix + "-g" + it, fix, trace, AGENTS[2], at + 205, at + 400, "{'kind':'off_by_one'}",
              "{'patch':'- i <= n\\n+ i < n'}", null);
          seed.call(fix + "-v" + it, fix, trace, AGENTS[3], at + 405, at + (it == 0 ? 430 : 700), "{'patch':'…'}",
              "{'passed':" + (it == 1) + "}", null);
          at += 440;
        }
        bugStart += 950;
      }
    }
    seed.call("live-root", null, "trace-live", "Orchestrator.run", T0 + 400_000, null, "{'seed':7}", null, null);
    seed.call("live-child", "live-root", "trace-live", AGENTS[0], T0 + 400_010, T0 + 400_100, "{'className':'Calculator'}",
        "{'passed':1}", null);
    seed.flush();

    for (int i = 0; i < 6; i++) {
      double passRate = Math.min(1.0, 0.5 + i * 0.09);
      seed.run("run-" + i, "patchpilot-" + (i + 1), T0 + i * 3_600_000L, i == 2 ? "failed" : "finished",
          Map.<String, Number>of("pass_rate", passRate, "fix_time_seconds", 6.0 / (i + 1), "bugs_fixed", 4 + i,
              "cache_hit_rate", i / 6.0, "iterations_total", 20 - 2 * i),
          "Calculator.add");
    }
  }

  static final String LLM_PROJECT = "acme/assistant";

  /**
   * An assistant's LLM calls as the agent records them, in two runs: in llm-run-2, a traced
   * {@code Assistant.answer} whose first OpenAI chat completion asks for the {@code forecast} tool
   * and whose second gets the tool's result and replies (gpt-4o, 2,840 tokens, $0.00687 at the
   * built-in prices); in llm-run-1, an Anthropic message asking for {@code run_tests}
   * (claude-sonnet-4-5, 2,500 tokens, $0.0135).
   */
  static void llmCalls(ServerFixture s) throws Exception {
    UiSeed seed = new UiSeed(s, LLM_PROJECT);
    String model = "gpt-4o-2024-08-06";
    String system = "{'role':'system','content':'You answer questions about the weather.'}";
    String user = "{'role':'user','content':'What is the weather in Paris?'}";
    String toolCall = "{'role':'assistant','content':null,'tool_calls':[{'id':'call_1','type':'function',"
        + "'function':{'name':'forecast','arguments':'{\\'city\\':\\'Paris\\'}'}}]}";
    String tools = "[{'type':'function','function':{'name':'forecast','parameters':{'type':'object'}}}]";
    long t = T0 + 30 * 60_000L;
    seed.llmCall("llm-root", null, "llm-trace", "Assistant.answer", t, t + 2400, "{'question':'What is the weather in Paris?'}",
        "'It is sunny in Paris, 21 C.'", "{'" + model + "':{'requests':2,'prompt_tokens':2700,'completion_tokens':140,"
        + "'total_tokens':2840,'cached_tokens':1024}}", "llm-run-2");
    seed.llmCall("llm-1", "llm-root", "llm-trace", "openai.chat.completions.create", t + 10, t + 900,
        "{'model':'gpt-4o','messages':[" + system + "," + user + "],'tools':" + tools + "}",
        "{'id':'chatcmpl-1','model':'" + model + "','choices':[{'index':0,'message':" + toolCall + ",'finish_reason':'tool_calls'}]}",
        "{'" + model + "':{'requests':1,'prompt_tokens':1200,'completion_tokens':80,'total_tokens':1280,'cached_tokens':0}}",
        "llm-run-2");
    seed.llmCall("llm-2", "llm-root", "llm-trace", "openai.chat.completions.create", t + 1000, t + 2300,
        "{'model':'gpt-4o','messages':[" + system + "," + user + "," + toolCall + ",{'role':'tool','tool_call_id':'call_1',"
        + "'content':'sunny, 21 C'}],'tools':" + tools + "}",
        "{'id':'chatcmpl-2','model':'" + model + "','choices':[{'index':0,'message':{'role':'assistant',"
        + "'content':'It is sunny in Paris, 21 C.'},'finish_reason':'stop'}]}",
        "{'" + model + "':{'requests':1,'prompt_tokens':1500,'completion_tokens':60,'total_tokens':1560,'cached_tokens':1024}}",
        "llm-run-2");
    String claude = "claude-sonnet-4-5-20250929";
    long c = T0 - 30 * 60_000L;
    String claudeUsage = "{'" + claude + "':{'requests':1,'prompt_tokens':2000,'completion_tokens':500,'total_tokens':2500}}";
    seed.llmCall("claude-root", null, "claude-trace", "TriageAgent.diagnose", c, c + 3000, "{'test':'StatsTest'}",
        "'off by one'", claudeUsage, "llm-run-1");
    seed.llmCall("claude-1", "claude-root", "claude-trace", "anthropic.Messages.create", c + 10, c + 2900,
        "{'model':'claude-sonnet-4-5','system':'You diagnose failing tests.','messages':[{'role':'user',"
        + "'content':'Why does StatsTest fail?'}],'tools':[{'name':'run_tests','input_schema':{'type':'object'}}]}",
        "{'id':'msg_1','type':'message','role':'assistant','model':'" + claude + "','content':[{'type':'text',"
        + "'text':'Let me run the tests.'},{'type':'tool_use','id':'toolu_1','name':'run_tests','input':{'class':'StatsTest'}}],"
        + "'stop_reason':'tool_use'}", claudeUsage, "llm-run-1");
    seed.flush();
    for (int i = 1; i <= 2; i++) {
      long start = (i == 1 ? c : t) - 60_000;
      s.ok("/run/start", ServerFixture.obj("{'run':{'project_id':'" + LLM_PROJECT + "','id':'llm-run-" + i
          + "','name':'assistant-" + i + "','started_at':'" + Instant.ofEpochMilli(start) + "'}}"));
      s.ok("/run/finish", ServerFixture.obj("{'project_id':'" + LLM_PROJECT + "','id':'llm-run-" + i
          + "','state':'finished','ended_at':'" + Instant.ofEpochMilli(start + 600_000) + "'}"));
    }
  }

  /** One trace and one run in which every field a user writes is a script payload. */
  static void scripts(ServerFixture s) throws Exception {
    UiSeed seed = new UiSeed(s, XSS_PROJECT);
    String both = IMG + SCRIPT;
    ObjectNode inputs = ServerFixture.JSON.createObjectNode();
    inputs.put(IMG, SCRIPT);
    inputs.putObject("nested").put("html", both);
    seed.callJson("x-root", null, "x-trace", both, T0, T0 + 50, inputs, ServerFixture.JSON.valueToTree(List.of(both)),
        exception(IMG, SCRIPT), both);
    seed.callJson("x-child", "x-root", "x-trace", IMG, T0 + 5, T0 + 20, inputs, ServerFixture.JSON.valueToTree(both), null, null);
    seed.flush();
    ObjectNode run = ServerFixture.JSON.createObjectNode();
    run.put("project_id", XSS_PROJECT).put("id", "x-run").put("name", both).put("group", IMG)
        .put("started_at", Instant.ofEpochMilli(T0).toString());
    run.putObject("config").put(IMG, SCRIPT);
    run.putArray("tags").add(IMG).add(SCRIPT);
    run.putObject("environment").putObject("git").put("commit", IMG).put("branch", SCRIPT);
    s.ok("/run/start", ServerFixture.JSON.createObjectNode().set("run", run));
    for (String r : List.of("x-run")) {
      ObjectNode log = ServerFixture.JSON.createObjectNode().put("project_id", XSS_PROJECT).put("run_id", r);
      log.putArray("points").addObject().put("step", 0).putObject("metrics").put(IMG, 1.0).put(SCRIPT, 2.0);
      s.ok("/run/log", log);
      ObjectNode summary = ServerFixture.JSON.createObjectNode().put("project_id", XSS_PROJECT).put("run_id", r);
      summary.putObject("summary").putObject(SCRIPT).put(IMG, 3).put(SCRIPT, 4);
      s.ok("/run/summary", summary);
      ObjectNode table = ServerFixture.JSON.createObjectNode().put("project_id", XSS_PROJECT).put("run_id", r).put("name", IMG);
      table.putArray("columns").add(SCRIPT).add(IMG).add("n");
      table.putArray("rows").addArray().add(IMG).add(SCRIPT).add(1);
      s.ok("/run/table", table);
    }
  }

  static String exception(String type, String message) {
    ObjectNode e = ServerFixture.JSON.createObjectNode().put("type", type).put("message", message);
    e.putArray("traceback").addObject().put("filename", "TriageAgent.java").put("line_number", 42)
        .put("function_name", "dev.weft.demo.TriageAgent.diagnose");
    return e.toString();
  }

  static String op(String project, String name) {
    return "weave:///" + project + "/op/" + name + ":abc123";
  }

  private void call(String id, String parent, String trace, String op, long start, Long end, String inputs,
      String output, String exception) {
    callJson(id, parent, trace, op, start, end, ServerFixture.val(inputs),
        output == null ? null : ServerFixture.val(output), exception, null);
  }

  private void callJson(String id, String parent, String trace, String op, long start, Long end, JsonNode inputs,
      JsonNode output, String exception, String displayName) {
    ObjectNode st = batch.addObject().put("mode", "start").putObject("req").putObject("start");
    st.put("project_id", project).put("id", id).put("trace_id", trace).put("parent_id", parent)
        .put("op_name", op(project, op)).put("started_at", Instant.ofEpochMilli(start).toString())
        .put("wb_run_id", "run-5").put("display_name", displayName);
    st.putObject("attributes").putObject("weft").put("thread", displayName == null ? "main" : displayName);
    st.set("inputs", inputs);
    if (end == null) return;
    ObjectNode en = batch.addObject().put("mode", "end").putObject("req").putObject("end");
    en.put("project_id", project).put("id", id).put("ended_at", Instant.ofEpochMilli(end).toString())
        .put("exception", exception);
    en.set("output", output);
    en.putObject("summary");
  }

  /** A call as the agent writes an LLM call or its traced parent: JSON in single quotes, usage in its summary. */
  private void llmCall(String id, String parent, String trace, String op, long start, long end, String inputs,
      String output, String usage, String run) {
    ObjectNode st = batch.addObject().put("mode", "start").putObject("req").putObject("start");
    st.put("project_id", project).put("id", id).put("trace_id", trace).put("parent_id", parent)
        .put("op_name", op.contains(".create") ? op : op(project, op)).put("started_at", Instant.ofEpochMilli(start).toString())
        .put("wb_run_id", project + "/" + run);
    st.putObject("attributes");
    st.set("inputs", ServerFixture.val(inputs));
    ObjectNode en = batch.addObject().put("mode", "end").putObject("req").putObject("end");
    en.put("project_id", project).put("id", id).put("ended_at", Instant.ofEpochMilli(end).toString());
    en.set("output", ServerFixture.val(output));
    en.putObject("summary").set("usage", ServerFixture.val(usage));
  }

  private void flush() throws Exception {
    s.ok("/call/upsert_batch", ServerFixture.JSON.createObjectNode().set("batch", batch));
    batch.removeAll();
  }

  private void run(String id, String name, long start, String state, Map<String, Number> last, String lastFix)
      throws Exception {
    ObjectNode run = ServerFixture.JSON.createObjectNode();
    run.put("project_id", project).put("id", id).put("name", name).put("group", "nightly")
        .put("started_at", Instant.ofEpochMilli(start).toString());
    run.putObject("config").put("seed", 42).put("max_iterations", 3).put("fix_cache", !id.equals("run-0"));
    run.putArray("tags").add("demo");
    run.putObject("environment").putObject("git").put("commit", "9f3c2a1b7e5d").put("branch", "main");
    s.ok("/run/start", ServerFixture.JSON.createObjectNode().set("run", run));

    ObjectNode log = ServerFixture.JSON.createObjectNode().put("project_id", project).put("run_id", id);
    ArrayNode points = log.putArray("points");
    double finalRate = last.get("pass_rate").doubleValue();
    for (int step = 0; step < 8; step++) {
      points.addObject().put("step", step).putObject("metrics").put("pass_rate", 0.3 + step * (finalRate - 0.3) / 8);
    }
    ObjectNode end = points.addObject().put("step", 8).putObject("metrics");
    last.forEach((k, v) -> end.put(k, v.doubleValue()));
    s.ok("/run/log", log);

    ObjectNode summary = ServerFixture.JSON.createObjectNode().put("project_id", project).put("run_id", id);
    ObjectNode values = summary.putObject("summary");
    values.set("bug_types", ServerFixture.val(
        "{'off_by_one':3,'wrong_operator':2,'null_handling':1,'boundary':2,'formatting':1}"));
    // The agent's own counters: run-2 lost calls to a full queue.
    values.putObject("weft").put("dropped_calls", id.equals("run-2") ? 12 : 0).put("internal_failures", 0);
    s.ok("/run/summary", summary);
    ObjectNode table = ServerFixture.JSON.createObjectNode().put("project_id", project).put("run_id", id)
        .put("name", "recent_fixes");
    table.set("columns", ServerFixture.val("['bug','kind','iterations','seconds']"));
    table.set("rows", ServerFixture.val("[['" + lastFix + "','off_by_one',1,0.8],['StringUtils.pad','formatting',2,1.9]]"));
    s.ok("/run/table", table);
    ObjectNode finish = ServerFixture.JSON.createObjectNode().put("project_id", project).put("id", id).put("state", state)
        .put("ended_at", Instant.ofEpochMilli(start + 65_000).toString());
    s.ok("/run/finish", finish);
  }
}
