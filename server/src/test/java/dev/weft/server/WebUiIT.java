package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/** The web UI in headless Chromium, against a live server seeded through its own API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiIT {
  private ServerFixture server;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    server = new ServerFixture(null, 64L << 20); // the 10,000-call traces go in one batch
    UiSeed.patchPilot(server);
    UiSeed.scripts(server);
    UiSeed.llmCalls(server);
    browser = Browser.start();
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (server != null) server.close();
  }

  private void open(String hash) {
    browser.open(server.base + "/#" + hash);
  }

  private static String projectPath(String project) {
    String[] parts = project.split("/", 2);
    return "/" + enc(parts[0]) + "/" + enc(parts[1]);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private List<String> rowIds(String css) {
    List<String> ids = new ArrayList<>();
    for (WebElement e : browser.all(css)) ids.add(e.getAttribute("data-call-id"));
    return ids;
  }

  @Test
  void landingPageListsProjects() {
    browser.open(server.base + "/");
    browser.await("the project cards", d -> browser.all(".card").size() >= 2);
    List<String> projects = new ArrayList<>();
    for (WebElement card : browser.all(".card")) projects.add(card.getAttribute("data-project"));
    assertTrue(projects.containsAll(List.of(UiSeed.XSS_PROJECT, UiSeed.PROJECT)), projects.toString());
    assertEquals(projects.stream().sorted().toList(), projects, "in name order");
  }

  @Test
  void callsTableListsRootsFiltersSortsAndPages() {
    open(projectPath(UiSeed.PROJECT) + "/calls");
    browser.await("the four roots, newest first", d -> rowIds("#calls tbody tr").size() == 4);
    assertEquals(List.of("live-root", "root-2", "root-1", "root-0"), rowIds("#calls tbody tr"));
    WebElement live = browser.one("#calls tbody tr[data-call-id='live-root']");
    assertEquals("running", live.findElement(By.cssSelector(".status")).getAttribute("data-status"));
    assertTrue(live.getText().contains("Orchestrator.run"), live.getText());

    browser.one("input[type=checkbox]:not(#auto-refresh)").click();
    browser.await("all 113 calls, paged by 50", d -> browser.one("#range").getText().equals("1–50 of 113"));
    assertEquals(50, browser.all("#calls tbody tr").size());
    browser.one(".pager button:last-child").click();
    browser.await("the second page", d -> browser.one("#range").getText().equals("51–100 of 113"));

    new Select(browser.one("select[aria-label=status]")).selectByValue("error");
    browser.await("the three failed diagnoses", d -> rowIds("#calls tbody tr").equals(
        List.of("2-fix-2-d1", "1-fix-2-d1", "0-fix-2-d1")));

    open(projectPath(UiSeed.PROJECT) + "/calls?all=1&q=inventory");
    browser.await("calls whose inputs name Inventory", d -> rowIds("#calls tbody tr").size() == 9);
    for (WebElement row : browser.all("#calls tbody tr")) assertTrue(row.getText().contains("Inventory"), row.getText());

    open(projectPath(UiSeed.PROJECT) + "/calls?sort=summary.weave.latency_ms:asc");
    browser.await("roots by duration, the running one last", d -> rowIds("#calls tbody tr").size() == 4
        && rowIds("#calls tbody tr").get(3).equals("live-root"));
  }

  @Test
  void traceViewShowsTheTreeTheWaterfallAndTheDetail() throws Exception {
    open(projectPath(UiSeed.PROJECT) + "/traces/trace-2");
    browser.await("the tree", d -> rowIds(".node").size() > 10);
    List<String> expected = new ArrayList<>(List.of("root-2"));
    for (int b = 0; b < UiSeed.BUGS.length; b++) {
      expected.add("2-fix-" + b);
      for (int it = 0; it < 2; it++) for (String k : List.of("t", "d", "g", "v")) expected.add("2-fix-" + b + "-" + k + it);
    }
    List<String> shown = rowIds(".node");
    assertEquals(expected.subList(0, shown.size()), shown, "depth-first, children in start order");
    assertEquals("1", browser.one(".node[data-call-id='root-2']").getAttribute("aria-level"));
    assertEquals("2", browser.one(".node[data-call-id='2-fix-0']").getAttribute("aria-level"));
    assertEquals("3", browser.one(".node[data-call-id='2-fix-0-t0']").getAttribute("aria-level"));
    assertTrue(browser.one(".trace-head").getText().contains("37 calls"), browser.one(".trace-head").getText());

    // The waterfall: the root spans the axis, each child sits inside it.
    WebElement rootBar = browser.one(".node[data-call-id='root-2'] .bar");
    assertTrue(rootBar.getAttribute("style").contains("left: 0%"), rootBar.getAttribute("style"));
    assertTrue(rootBar.getAttribute("style").contains("width: 100%"), rootBar.getAttribute("style"));
    double childLeft = browser.one(".node[data-call-id='2-fix-1'] .bar").getRect().getX();
    double childWidth = browser.one(".node[data-call-id='2-fix-1'] .bar").getRect().getWidth();
    assertTrue(childLeft > rootBar.getRect().getX() && childLeft + childWidth < rootBar.getRect().getX() + rootBar.getRect().getWidth());

    // Status colours: the failure, and the calls above it that succeeded over it.
    assertEquals("descendant_error", browser.one(".node[data-call-id='root-2']").getAttribute("data-status"));
    assertEquals("success", browser.one(".node[data-call-id='2-fix-0']").getAttribute("data-status"));

    browser.one(".node[data-call-id='2-fix-0-d0']").click();
    browser.await("the detail of the selected call", d -> browser.one(".detail [data-section=inputs]").getText()
        .contains("expected 10 but was 9"));
    assertEquals("TriageAgent.diagnose", browser.one(".detail h2").getText());
    assertTrue(browser.driver.getCurrentUrl().endsWith("/traces/trace-2?call=2-fix-0-d0"), browser.driver.getCurrentUrl());
    assertTrue(browser.one(".detail [data-section=output]").getText().contains("off_by_one"));

    // Collapsing a call hides its children.
    browser.one(".node[data-call-id='2-fix-0'] .caret").click();
    browser.await("2-fix-0 collapsed", d -> rowIds(".node").stream().noneMatch(id -> id.startsWith("2-fix-0-")));
    assertEquals("false", browser.one(".node[data-call-id='2-fix-0']").getAttribute("aria-expanded"));

    // A shared link opens the trace with that call selected and its exception shown.
    open(projectPath(UiSeed.PROJECT) + "/traces/trace-2?call=2-fix-2-d1");
    browser.driver.navigate().refresh();
    browser.await("the shared call selected", d -> "true".equals(
        browser.one(".node[data-call-id='2-fix-2-d1']").getAttribute("aria-selected")));
    assertEquals("error", browser.one(".node[data-call-id='2-fix-2-d1']").getAttribute("data-status"));
    assertEquals("descendant_error", browser.one(".node[data-call-id='2-fix-2']").getAttribute("data-status"));
    String exception = browser.await("the exception", d -> browser.one(".detail [data-section=exception]").getText());
    assertTrue(exception.contains("java.lang.IllegalStateException: no rule fits this failure"), exception);
    assertTrue(exception.contains("dev.weft.demo.TriageAgent.diagnose (TriageAgent.java:42)"), exception);
    browser.screenshot("seeded-trace-view.png");
  }

  private static final String BIG = "acme/big";
  private static final String LIVE = "acme/live";

  @Test
  void tenThousandCallTracesStayUsable() throws Exception {
    // One deep chain and one wide fan-out, 10,000 calls each.
    ArrayNode batch = ServerFixture.JSON.createArrayNode();
    for (int i = 0; i < 10_000; i++) {
      addCall(batch, "deep-" + i, i == 0 ? null : "deep-" + (i - 1), "deep", i, 20_000 - i);
      addCall(batch, "wide-" + i, i == 0 ? null : "wide-0", "wide", i, i == 0 ? 20_000 : i + 1);
    }
    server.ok("/call/upsert_batch", ServerFixture.JSON.createObjectNode().set("batch", batch));

    for (String trace : List.of("deep", "wide")) {
      open(projectPath(BIG) + "/traces/" + trace);
      browser.await(trace + ": the header", d -> browser.one(".trace-head").getText().contains("10,000 calls"));
      int rendered = browser.all(".node").size();
      assertTrue(rendered > 10 && rendered < 120, "only the rows in view exist: " + rendered);
      browser.js("document.querySelector('.tree').scrollTop = 1e9");
      browser.await(trace + ": the last call after scrolling to the end",
          d -> rowIds(".node").contains(trace + "-9999"));
      assertEquals(String.valueOf(trace.equals("deep") ? 10_000 : 2),
          browser.one(".node[data-call-id='" + trace + "-9999']").getAttribute("aria-level"));
    }
  }

  private static void addCall(ArrayNode batch, String id, String parent, String trace, int startMs, int endMs) {
    ObjectNode st = batch.addObject().put("mode", "start").putObject("req").putObject("start");
    st.put("project_id", BIG).put("id", id).put("trace_id", trace).put("parent_id", parent)
        .put("op_name", UiSeed.op(BIG, "Step.run"))
        .put("started_at", Instant.ofEpochMilli(UiSeed.T0 + startMs).toString());
    st.putObject("inputs").put("i", id);
    st.putObject("attributes");
    ObjectNode en = batch.addObject().put("mode", "end").putObject("req").putObject("end");
    en.put("project_id", BIG).put("id", id).put("ended_at", Instant.ofEpochMilli(UiSeed.T0 + endMs).toString());
    en.putObject("summary");
  }

  @Test
  void aRunningCallFillsInWhenItFinishes() throws Exception {
    String start = "{'start':{'project_id':'" + LIVE + "','id':'slow','trace_id':'trace-slow',"
        + "'op_name':'" + UiSeed.op(LIVE, "Orchestrator.run") + "','started_at':'"
        + Instant.now().toString() + "','attributes':{},'inputs':{'seed':1}}}";
    server.ok("/call/start", ServerFixture.obj(start));
    open(projectPath(LIVE) + "/traces/trace-slow");
    browser.await("the call running", d -> "running".equals(browser.one(".node[data-call-id='slow']").getAttribute("data-status")));
    // Awaited, not read once: the trace polls while a call runs, and each poll redraws the detail.
    browser.await("the output still to come", d -> browser.one(".detail [data-section=output]").getText().contains("still running"));

    String end = "{'end':{'project_id':'" + LIVE + "','id':'slow','ended_at':'" + Instant.now().toString()
        + "','output':{'verdict':'all green'},'summary':{}}}";
    server.ok("/call/end", ServerFixture.obj(end));
    // No click: a trace with running calls polls by itself.
    browser.await("the call finished", d -> "success".equals(browser.one(".node[data-call-id='slow']").getAttribute("data-status")));
    browser.await("its output", d -> browser.one(".detail [data-section=output]").getText().contains("all green"));
  }

  @Test
  void dashboardChartsTheRuns() throws Exception {
    open(projectPath(UiSeed.PROJECT) + "/dashboard");
    browser.await("the charts", d -> browser.all("canvas[data-chart]").size() == 4);
    assertEquals(List.of("patchpilot-1", "patchpilot-2", "patchpilot-3", "patchpilot-4", "patchpilot-5", "patchpilot-6"),
        chart("across-runs", "labels"));
    assertEquals(List.of(0.5, 0.59, 0.68, 0.77, 0.86, 0.95), rounded(chart("across-runs", "data")));
    assertEquals(9, chart("within-run", "data").size(), "pass_rate at steps 0..8 of the latest run");
    assertEquals(6, chart("per-run", "data").size());
    assertEquals("fix_time_seconds", browser.js("return Chart.getChart(document.querySelector("
        + "'canvas[data-chart=per-run]')).data.datasets[0].label"));
    assertEquals(List.of("off_by_one", "wrong_operator", "null_handling", "boundary", "formatting"), chart("breakdown", "labels"));

    WebElement passRate = browser.one("[data-stat=pass_rate]");
    assertEquals("0.950", passRate.findElement(By.cssSelector(".value")).getText());
    assertTrue(passRate.getText().contains("▲ +0.0900"), passRate.getText());
    assertEquals(6, browser.all("#runs tbody tr").size());
    assertTrue(browser.one("#runs tbody tr[data-run-id='run-2']").getText().contains("failed"));
    assertTrue(browser.one("#runs tbody tr[data-run-id='run-2']").getText().contains("12 calls dropped"),
        "what the agent lost is shown with the run");
    assertEquals(1, browser.all("#runs [data-losses]").size(), "and only where something was lost");
    assertEquals(List.of("bug_types"), browser.all("select[aria-label=breakdown] option").stream()
        .map(o -> o.getAttribute("value")).toList(), "the agent's counters are not a breakdown");
    assertTrue(browser.one("[data-table=recent_fixes]").getText().contains("Calculator.add"));
    assertTrue(browser.one("#compare h3").getAttribute("textContent").contains("A patchpilot-5 → B patchpilot-6"));

    browser.one("#runs tbody tr[data-run-id='run-0'] input[name=a]").click();
    browser.await("run 1 against run 6", d -> browser.one("#compare h3").getAttribute("textContent")
        .contains("A patchpilot-1 → B patchpilot-6"));
    String bugsFixed = browser.one("#compare tr[data-metric=bugs_fixed]").getText();
    assertTrue(bugsFixed.contains("▲ +5"), bugsFixed);

    browser.driver.manage().window().setSize(new Dimension(1440, 1750));
    Thread.sleep(300); // charts resize on the next frame
    browser.screenshot("seeded-dashboard.png");
    browser.driver.manage().window().setSize(new Dimension(1440, 1000));
  }

  private List<String> texts(String css) {
    List<String> out = new ArrayList<>();
    for (WebElement e : browser.all(css)) out.add(e.getText());
    return out;
  }

  private List<String> attributes(String css, String attribute) {
    List<String> out = new ArrayList<>();
    for (WebElement e : browser.all(css)) out.add(e.getAttribute(attribute));
    return out;
  }

  @Test
  void llmCallsReadAsAConversationWithTheirTokensAndCost() throws Exception {
    String p = projectPath(UiSeed.LLM_PROJECT);
    open(p + "/calls");
    browser.await("the two traces", d -> rowIds("#calls tbody tr").size() == 2);
    assertEquals(List.of("llm-root", "claude-root"), rowIds("#calls tbody tr"));
    assertEquals(List.of("2,840", "2,500"), texts("#calls td[data-col=tokens]"), "each trace's tokens, summed in its root");
    assertEquals(List.of("$0.00687", "$0.0135"), texts("#calls td[data-col=cost]"), "priced at the built-in prices");

    open(p + "/traces/llm-trace?call=llm-2");
    browser.await("the conversation", d -> browser.all(".detail [data-section=conversation] .msg").size() == 5);
    assertEquals(List.of("system", "user", "assistant", "tool", "assistant"),
        attributes(".detail [data-section=conversation] .msg", "data-role"));
    WebElement call = browser.one(".detail .msg[data-role=assistant] [data-tool-call=forecast]");
    assertTrue(call.getText().contains("\"city\": \"Paris\""), call.getText());
    List<WebElement> turns = browser.all(".detail [data-section=conversation] .msg");
    assertTrue(turns.get(3).getText().contains("sunny, 21 C"), turns.get(3).getText());
    assertTrue(turns.get(4).getText().contains("It is sunny in Paris, 21 C."), turns.get(4).getText());
    assertTrue(turns.get(4).getText().contains("REPLY"), "the last turn is the reply: " + turns.get(4).getText());
    assertTrue(browser.one(".detail [data-tools]").getText().contains("forecast"));
    assertEquals("1,560", browser.one(".detail [data-llm=tokens]").getText());
    assertEquals("$0.00307", browser.one(".detail [data-llm=cost]").getText());
    assertEquals("$0.00307", browser.one(".detail [data-section=usage] tr[data-model='gpt-4o-2024-08-06'] td:last-child").getText());
    assertTrue(browser.one(".trace-head [data-trace-llm]").getText().contains("2,840 tokens · $0.00687"),
        browser.one(".trace-head").getText());
    assertNull(browser.one(".detail [data-section=inputs]").getAttribute("open"), "the JSON stays below, closed");
    assertEquals("1.6K tok", browser.one(".node[data-call-id='llm-2'] .tok").getText(), "the tree shows each call's tokens");
    assertEquals("2.8K tok", browser.one(".node[data-call-id='llm-root'] .tok").getText());
    browser.screenshot("llm-conversation.png");

    browser.one(".node[data-call-id='llm-1']").click();
    browser.await("the first call's reply: a tool call", d -> browser.all(".detail [data-section=conversation] .msg").size() == 3);
    assertEquals(List.of("system", "user", "assistant"), attributes(".detail [data-section=conversation] .msg", "data-role"));
    assertEquals("$0.00380", browser.one(".detail [data-llm=cost]").getText());

    open(p + "/traces/claude-trace?call=claude-1");
    browser.await("the Anthropic conversation", d -> browser.all(".detail [data-section=conversation] .msg").size() == 3);
    assertEquals(List.of("system", "user", "assistant"), attributes(".detail [data-section=conversation] .msg", "data-role"));
    assertTrue(browser.one(".detail [data-tool-call=run_tests]").getText().contains("StatsTest"));
    assertTrue(browser.all(".detail [data-section=conversation] .msg").get(2).getText().contains("Let me run the tests."));

    open(p + "/traces/llm-trace?call=llm-root");
    browser.await("the traced parent's detail", d -> browser.one(".detail [data-llm=tokens]").getText().equals("2,840"));
    assertTrue(browser.all(".detail [data-section=conversation]").isEmpty(), "not an LLM call: no conversation");
    assertEquals("true", browser.one(".detail [data-section=inputs]").getAttribute("open"), "its inputs open as any call's");
  }

  @Test
  void theDashboardShowsEachRunsLlmTokensAndCostByModel() throws Exception {
    open(projectPath(UiSeed.LLM_PROJECT) + "/dashboard");
    browser.await("the runs", d -> browser.all("#runs tbody tr").size() == 2);
    assertEquals(List.of("2,840", "2,500"), texts("#runs td[data-col=tokens]"), "newest run first");
    assertEquals(List.of("$0.00687", "$0.0135"), texts("#runs td[data-col=cost]"));
    assertEquals("$0.00687", browser.one("[data-stat=llm_cost] .value").getText());
    assertEquals("2,840", browser.one("[data-stat=llm_tokens] .value").getText());
    browser.await("the LLM chart", d -> browser.all("canvas[data-chart=llm]").size() == 1);
    assertEquals(List.of("gpt-4o-2024-08-06", "claude-sonnet-4-5-20250929"), browser.js("return Chart.getChart("
        + "document.querySelector('canvas[data-chart=llm]')).data.datasets.map(d => d.label)"));
    assertEquals(List.of("assistant-1", "assistant-2"), chart("llm", "labels"));
    String compare = browser.one("#compare tr[data-metric=llm_cost]").getText();
    assertTrue(compare.contains("$0.0135") && compare.contains("$0.00687"), compare);
  }

  @Test
  void runsWithTheSameNameAreToldApart() throws Exception {
    for (String id : List.of("aaaaaa111", "bbbbbb222")) {
      server.ok("/run/start", ServerFixture.obj("{'run':{'project_id':'acme/twice','id':'" + id + "','name':'nightly'}}"));
    }
    open(projectPath("acme/twice") + "/dashboard");
    browser.await("both runs", d -> browser.all("#runs tbody tr").size() == 2);
    List<String> names = browser.all("#runs tbody tr td:nth-child(3) a").stream().map(WebElement::getText).toList();
    assertEquals(List.of("nightly (bbbbbb)", "nightly (aaaaaa)"), names);
  }

  @SuppressWarnings("unchecked")
  private List<Object> chart(String name, String what) {
    String expr = what.equals("labels") ? "c.data.labels" : "c.data.datasets[0].data";
    return (List<Object>) browser.js("const c = Chart.getChart(document.querySelector('canvas[data-chart=" + name
        + "]')); return " + expr + ";");
  }

  private static List<Double> rounded(List<Object> values) {
    List<Double> out = new ArrayList<>();
    for (Object v : values) out.add(Math.round(((Number) v).doubleValue() * 100) / 100.0);
    return out;
  }

  @Test
  void scriptPayloadsInUserDataNeverRun() {
    String p = projectPath(UiSeed.XSS_PROJECT);
    browser.open(server.base + "/");
    browser.await("the payload project listed as text", d -> browser.all(".card h2").stream()
        .anyMatch(e -> e.getText().equals(UiSeed.XSS_PROJECT)));
    assertNotPwned("projects");

    open(p + "/calls?all=1");
    browser.await("both calls", d -> browser.all("#calls tbody tr").size() == 2);
    String table = browser.one("#calls").getText();
    assertTrue(table.contains(UiSeed.IMG + UiSeed.SCRIPT), table);
    assertNotPwned("calls");

    open(p + "/traces/x-trace?call=x-root");
    browser.await("the detail", d -> browser.one(".detail [data-section=exception]").getText().contains(UiSeed.SCRIPT));
    assertTrue(browser.one(".detail [data-section=inputs]").getText().contains(UiSeed.IMG));
    assertTrue(browser.one(".detail h2").getText().equals(UiSeed.IMG + UiSeed.SCRIPT));
    browser.one(".node[data-call-id='x-child']").click();
    browser.await("the child's detail", d -> browser.one(".detail h2").getText().equals(UiSeed.IMG));
    assertNotPwned("trace");

    open(p + "/dashboard");
    browser.await("the runs table", d -> browser.all("#runs tbody tr").size() == 1);
    String page = browser.one("main").getText();
    assertTrue(page.contains(UiSeed.IMG) && page.contains(UiSeed.SCRIPT), page);
    assertNotPwned("dashboard");
    assertFalse(browser.all("main img, main script").size() > 0, "no element came from user data");
  }

  private void assertNotPwned(String where) {
    assertNull(browser.js("return window.__pwned"), "a payload ran on the " + where + " page");
  }

  @Test
  void withAnApiKeyThePageAsksForItAndKeepsWorking() throws Exception {
    try (ServerFixture keyed = new ServerFixture("s3cret", 1 << 20)) {
      keyed.ok("/run/start", ServerFixture.obj("{'run':{'project_id':'acme/keyed','id':'r'}}"));
      browser.open(keyed.base + "/");
      browser.await("the key dialog", d -> browser.one("#key-dialog").getAttribute("open") != null);
      browser.one("#key-input").sendKeys("wrong");
      browser.one("#key-form button").click();
      browser.await("the refusal", d -> browser.one("#key-error").getText().contains("refused"));
      browser.one("#key-input").sendKeys("s3cret");
      browser.one("#key-form button").click();
      browser.await("the projects", d -> browser.all(".card[data-project='acme/keyed']").size() == 1);

      browser.driver.navigate().refresh();
      browser.await("the projects again, without asking", d -> browser.all(".card").size() == 1);
      assertEquals(null, browser.one("#key-dialog").getAttribute("open"));
    }
  }

  @Test
  void settingsSetAProjectsRetentionAndPreviewWhatWouldGo() throws Exception {
    String project = "ret/ui", old = Instant.now().minus(java.time.Duration.ofDays(40)).toString();
    server.ok("/call/upsert_batch", ServerFixture.obj("{'batch':[{'mode':'start','req':{'start':{'project_id':'" + project
        + "','id':'old-root','trace_id':'old-t','op_name':'Old.run','started_at':'" + old + "','attributes':{},'inputs':{}}}}]}"));
    open(projectPath(project) + "/settings");
    WebElement days = browser.await("the retention form", d -> browser.one("#retention-days"));
    browser.await("the preview", d -> browser.one("#retention-preview").getText().contains("nothing"));
    days.sendKeys("30");
    browser.one("form.settings button[type=submit]").click();
    browser.await("saved", d -> browser.one("#retention-message").getText().equals("Saved."));
    browser.await("the preview of what would go",
        d -> browser.one("#retention-preview").getText().contains("would delete 1 traces (1 calls)"));
    assertTrue(browser.one("#retention-applies").getText().contains("traces kept 30 days"), browser.one("#retention-applies").getText());
    assertEquals(30, server.ok("/project/retention/read", ServerFixture.obj("{'project_id':'" + project + "'}"))
        .get("retention_days").asInt());
    assertEquals(1, server.ok("/calls/query_stats", ServerFixture.obj("{'project_id':'" + project + "'}")).get("count").asInt(),
        "a preview deletes nothing");
  }

  @Test
  void settingsAddAWebhookAndShowItsDeliveries() throws Exception {
    String project = "hooks/ui";
    try (WebhookReceiver receiver = new WebhookReceiver(0)) {
      open(projectPath(project) + "/settings");
      WebElement url = browser.await("the webhook form", d -> browser.one("#webhook-form input[type=url]"));
      browser.await("no webhooks yet", d -> browser.one("#webhooks").getText().contains("No webhooks"));
      url.sendKeys(receiver.url);
      browser.one("#webhook-form button[type=submit]").click();
      browser.await("added", d -> browser.one("#webhook-message").getText().equals("Added."));
      assertTrue(browser.one("#webhooks").getText().contains(receiver.url), browser.one("#webhooks").getText());
      assertTrue(browser.one("#webhooks").getText().contains(project), "set here: for this project");

      server.ok("/run/start", ServerFixture.obj("{'run':{'project_id':'" + project + "','id':'ui-run','name':'ui run'}}"));
      server.ok("/run/finish", ServerFixture.obj("{'project_id':'" + project + "','id':'ui-run','state':'finished'}"));
      assertEquals(1, receiver.await(1, 20).size());
      Thread.sleep(300); // its outcome recorded
      browser.driver.navigate().refresh();
      WebElement row = browser.await("the delivery", d -> browser.one("#webhook-deliveries tr[data-state=delivered]"));
      assertTrue(row.getText().contains("run.finished") && row.getText().contains("ui-run"), row.getText());
    } finally {
      for (com.fasterxml.jackson.databind.JsonNode h : server.ok("/webhooks/query", ServerFixture.obj("{}")).get("webhooks")) {
        server.ok("/webhooks/delete", ServerFixture.obj("{'id':'" + h.get("id").asText() + "'}"));
      }
    }
  }
}
