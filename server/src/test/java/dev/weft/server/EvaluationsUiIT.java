package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * Evaluations in the web UI, in headless Chromium, over evaluations posted as Weft's Java API and
 * both forms of the Weave TypeScript SDK write them (EvaluationSeed): the list, one evaluation's
 * rows, a comparison, and the page for an address the UI does not know. Seeded, so each case
 * (an XSS payload, tokens and cost, a row that got worse) is there; the junit module's
 * EvaluationsInTheUiIT shows what the real writers write.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationsUiIT {
  private static final String P = "/" + EvaluationSeed.PROJECT;
  private ServerFixture server;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    server = ServerFixture.start();
    EvaluationSeed.evaluations(server);
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

  private List<String> ids(String css) {
    List<String> out = new ArrayList<>();
    for (WebElement e : browser.all(css)) out.add(e.getAttribute("data-call-id"));
    return out;
  }

  private String text(String css) {
    return browser.one(css).getText();
  }

  @Test
  void theListShowsEachEvaluationWithItsModelDatasetScoresRunTimeAndUsage() {
    open(P + "/evaluations");
    browser.await("the three evaluations, newest first", d -> ids("#evaluations tbody tr").equals(
        List.of(EvaluationSeed.LOGGED_ROOT, EvaluationSeed.TS_ROOT, EvaluationSeed.JAVA_ROOT)));
    assertEquals("Evaluations", text("#tabs a.on"));

    String java = "#evaluations tr[data-call-id='" + EvaluationSeed.JAVA_ROOT + "'] ";
    assertEquals("triage-eval", text(java + "[data-col=name]"));
    assertEquals("triage", text(java + "[data-col=model]"));
    assertEquals("seeded-bugs", text(java + "[data-col=dataset]"));
    assertEquals("exactBugType 66.7%", text(java + "[data-metric='exactBugType']"));
    assertEquals("2 of 3 true", browser.one(java + "[data-metric='exactBugType']").getAttribute("title"));
    assertEquals("confidence.score 1.10", text(java + "[data-metric='confidence.score']"));
    assertEquals("confidence.long 100%", text(java + "[data-metric='confidence.long']"));
    assertEquals("4.00 s", text(java + "[data-col=runtime]"));
    assertEquals("1,500", text(java + "[data-col=tokens]"));
    // gpt-4o-mini's built-in price: 1,000 prompt tokens at $0.15/M and 500 completion at $0.60/M.
    assertEquals("$0.000450", text(java + "[data-col=cost]"));

    String ts = "#evaluations tr[data-call-id='" + EvaluationSeed.TS_ROOT + "'] ";
    assertTrue(text(ts + "td:nth-child(2)").contains("triage-eval_triage-v2"), "the SDK's display name beside the name");
    assertEquals("triage-v2", text(ts + "[data-col=model]"), "the model's op");
    assertEquals("exactBugType 33.3%", text(ts + "[data-metric='exactBugType']"));
    String logged = "#evaluations tr[data-call-id='" + EvaluationSeed.LOGGED_ROOT + "'] ";
    assertEquals("seeded bugs", text(logged + "[data-col=dataset]"), "the logger names its dataset");
    assertEquals("exactBugType 50%", text(logged + "[data-metric='exactBugType']"));

    browser.one(java + "[data-col=name]").click();
    browser.await("the evaluation's page", d -> d.getCurrentUrl().endsWith("/evaluations/" + EvaluationSeed.JAVA_ROOT));
  }

  @Test
  void anEvaluationShowsItsRowsWithInputsOutputAndEachScoreSortableAndFilterable() {
    open(P + "/evaluations/" + EvaluationSeed.JAVA_ROOT);
    browser.await("the three rows", d -> ids("#rows tbody tr").equals(List.of("java-pred-0", "java-pred-1", "java-pred-2")));
    assertEquals("triage-eval", text("#evaluation-name"));
    assertTrue(text("#evaluation-meta").contains("model triage · dataset seeded-bugs · 3 rows"), text("#evaluation-meta"));
    assertEquals("66.7%", text("#summary [data-metric='exactBugType'] .value"));
    assertEquals("1.10", text("#summary [data-metric='confidence.score'] .value"));
    assertEquals("250 ms", text("#summary [data-metric='model_latency'] .value"));

    // The dataset's rows, read from their table by ref, then the model's output and each score.
    for (int i = 0; i < 3; i++) {
      String row = "#rows tr[data-call-id='java-pred-" + i + "'] ";
      String out = EvaluationSeed.JAVA_OUTPUTS[i];
      assertEquals(EvaluationSeed.ROWS[i][0], text(row + "[data-input=bug]"));
      assertEquals(EvaluationSeed.ROWS[i][1], text(row + "[data-input=expected]"));
      assertEquals(out, text(row + "[data-col=output]"));
      assertEquals(String.valueOf(out.equals(EvaluationSeed.ROWS[i][1])), text(row + "[data-score=exactBugType]"));
      assertEquals(out.length() == 10 ? "1" : "1.30", text(row + "[data-score='confidence.score']"));
      assertEquals("true", text(row + "[data-score='confidence.long']"));
    }

    browser.one("th[data-sort='score:exactBugType'] button").click();
    browser.await("the miss first", d -> ids("#rows tbody tr").get(0).equals("java-pred-2"));
    browser.one("th[data-sort='in:bug'] button").click();
    browser.await("by bug", d -> ids("#rows tbody tr").equals(List.of("java-pred-0", "java-pred-1", "java-pred-2")));
    browser.one("th[data-sort='in:bug'] button").click();
    browser.await("by bug, descending", d -> ids("#rows tbody tr").equals(List.of("java-pred-2", "java-pred-1", "java-pred-0")));

    new Select(browser.one("select[aria-label=rows]")).selectByValue("false:exactBugType");
    browser.await("only the miss", d -> ids("#rows tbody tr").equals(List.of("java-pred-2")));
    assertEquals("1 of 3 rows", text("#row-count"));
    new Select(browser.one("select[aria-label=rows]")).selectByValue("");
    browser.one("input[aria-label='filter rows']").sendKeys("parser");
    browser.await("only Parser.parse", d -> ids("#rows tbody tr").equals(List.of("java-pred-1")));
    assertTrue(browser.driver.getCurrentUrl().contains("q=parser"), "the filter is in the link");
  }

  @Test
  void eachRowLinksToItsPredictionInItsTrace() {
    open(P + "/evaluations/" + EvaluationSeed.JAVA_ROOT);
    WebElement link = browser.one("#rows tr[data-call-id='java-pred-1'] a.trace-link");
    assertTrue(link.getAttribute("href").endsWith("#/acme/evals/traces/trace-java?call=java-pred-1"), link.getAttribute("href"));
    link.click();
    browser.await("the trace with the prediction selected", d -> browser.all(".node.sel[data-call-id='java-pred-1']").size() == 1);
    assertTrue(text(".detail").contains("Evaluation.predict_and_score"), text(".detail"));
    browser.one("#as-evaluation").click();
    browser.await("back to the evaluation", d -> ids("#rows tbody tr").size() == 3);
  }

  @Test
  void theTypeScriptSdksClassAndLoggerFormsShowTheSameWay() {
    open(P + "/evaluations/" + EvaluationSeed.TS_ROOT);
    browser.await("predictAndScore's rows", d -> ids("#rows tbody tr").equals(List.of("ts-pred-0", "ts-pred-1", "ts-pred-2")));
    for (int i = 0; i < 3; i++) {
      String row = "#rows tr[data-call-id='ts-pred-" + i + "'] ";
      assertEquals(EvaluationSeed.ROWS[i][0], text(row + "[data-input=bug]"));
      assertEquals(EvaluationSeed.TS_OUTPUTS[i], text(row + "[data-col=output]"), "model_output");
      assertEquals(String.valueOf(EvaluationSeed.TS_OUTPUTS[i].equals(EvaluationSeed.ROWS[i][1])),
          text(row + "[data-score=exactBugType]"));
    }
    assertTrue(text("#evaluation-meta").contains("model triage-v2 · dataset seeded-bugs"), text("#evaluation-meta"));

    open(P + "/evaluations/" + EvaluationSeed.LOGGED_ROOT);
    browser.await("the logged rows", d -> ids("#rows tbody tr").equals(List.of("logged-pred-0", "logged-pred-1")));
    assertEquals("Calculator.add", text("#rows tr[data-call-id='logged-pred-0'] [data-input=bug]"));
    // Inputs and outputs are text: a payload shows as written and never runs.
    assertEquals(UiSeed.SCRIPT, text("#rows tr[data-call-id='logged-pred-1'] [data-input=bug]"));
    assertEquals(UiSeed.IMG, text("#rows tr[data-call-id='logged-pred-1'] [data-col=output]"));
    assertEquals("false", text("#rows tr[data-call-id='logged-pred-1'] [data-score=exactBugType]"));
    assertNull(browser.js("return window.__pwned"), "a payload ran");
  }

  @Test
  void comparingShowsTheSummariesWithDeltasAndTheRowsThatGotWorseFirst() {
    open(P + "/evaluations");
    browser.await("the list", d -> ids("#evaluations tbody tr").size() == 3);
    browser.one("tr[data-call-id='" + EvaluationSeed.JAVA_ROOT + "'] input[type=checkbox]").click();
    browser.one("tr[data-call-id='" + EvaluationSeed.TS_ROOT + "'] input[type=checkbox]").click();
    browser.one("#compare").click();
    browser.await("the comparison", d -> browser.all("#compare-rows tbody tr").size() == 3);
    // The list is newest first; the comparison's baseline is the one picked first.
    WebElement exact = browser.one("#compare-summary tr[data-metric='exactBugType']");
    List<WebElement> cells = exact.findElements(By.cssSelector("td"));
    assertEquals("66.7%", cells.get(1).getText());
    assertEquals("33.3%\n-33.3 pts", cells.get(2).getText());
    assertTrue(cells.get(2).findElement(By.cssSelector(".delta")).getAttribute("class").contains("down"));

    List<String> bugs = new ArrayList<>();
    List<String> worse = new ArrayList<>();
    for (WebElement r : browser.all("#compare-rows tbody tr")) {
      bugs.add(r.findElement(By.cssSelector("[data-input=bug]")).getText());
      worse.add(r.getAttribute("data-worse"));
    }
    assertEquals(List.of("1", "1", "0"), worse);
    assertEquals("Range.contains", bugs.get(2), "the row that got better last");
    assertTrue(bugs.subList(0, 2).containsAll(List.of("Calculator.add", "Parser.parse")), bugs.toString());
  }

  @Test
  void feedbackWrittenByAnSdkShowsOnTheCallAndThumbsAndNotesAreStoredInWeavesTypes() throws Exception {
    open(P + "/traces/trace-java?call=java-model-2");
    browser.await("the scores and the SDK's feedback", d -> browser.all("#feedback .note").size() == 1
        && browser.all("#feedback [data-scorer]").size() == 2);
    assertEquals("exactBugType: false", text("#feedback [data-scorer=exactBugType]"));
    assertEquals("confidence: score: 1, long: true", text("#feedback [data-scorer=confidence]"));
    assertEquals("boundary, not off-by-one " + UiSeed.SCRIPT, text("#feedback .note .text"));
    assertEquals("👎 1", text("#feedback [data-reaction='👎']"));
    assertEquals("👍", text("#feedback [data-reaction='👍']"));

    browser.one("#feedback [data-reaction='👍']").click();
    browser.await("a thumbs up", d -> text("#feedback [data-reaction='👍']").equals("👍 1"));
    browser.one("#feedback textarea").sendKeys("right call <img src=x onerror=alert(1)>");
    browser.one("#feedback .note-form button").click();
    browser.await("the new note", d -> browser.all("#feedback .note").size() == 2);
    assertEquals("right call <img src=x onerror=alert(1)>", browser.all("#feedback .note .text").get(1).getText());
    assertEquals("", browser.one("#feedback textarea").getAttribute("value"), "the box is emptied");
    assertNull(browser.js("return window.__pwned"), "a payload ran");

    List<String> stored = new ArrayList<>();
    for (var f : server.ok("/feedback/query", ServerFixture.obj("{'project_id':'" + EvaluationSeed.PROJECT + "'}")).get("result")) {
      if (f.get("weave_ref").asText().equals("weave:///acme/evals/call/java-model-2")) {
        stored.add(f.get("feedback_type").asText() + " " + f.get("payload"));
      }
    }
    stored.sort(null); // feedback written in one batch shares its time
    assertEquals(List.of("wandb.runnable.exactBugType {\"output\":false}",
        "wandb.runnable.confidence {\"output\":{\"score\":1.0,\"long\":true}}",
        "wandb.reaction.1 {\"emoji\":\"👎\"}",
        "wandb.note.1 {\"note\":\"boundary, not off-by-one " + UiSeed.SCRIPT + "\"}",
        "wandb.reaction.1 {\"emoji\":\"👍\"}",
        "wandb.note.1 {\"note\":\"right call <img src=x onerror=alert(1)>\"}").stream().sorted().toList(), stored);
  }

  @Test
  void anAddressTheUiDoesNotKnowShowsNotFoundWithTheProjectsViews() {
    open(P + "/nonsense");
    WebElement page = browser.one("#not-found");
    assertTrue(page.getText().contains("Page not found"), page.getText());
    assertTrue(page.getText().contains("nonsense"), page.getText());
    List<String> views = new ArrayList<>();
    for (WebElement a : page.findElements(By.cssSelector("a[data-view]"))) views.add(a.getAttribute("href"));
    assertEquals(List.of("calls", "evaluations", "dashboard", "artifacts", "settings").stream()
        .map(v -> server.base + "/#/acme/evals/" + v).toList(), views);
    assertTrue(browser.all("#calls").isEmpty(), "not the calls table");
    page.findElement(By.cssSelector("a[data-view=evaluations]")).click();
    browser.await("the evaluations", d -> browser.all("#evaluations tbody tr").size() == 3);
  }

  @Test
  void theCallsTableFiltersByFeedback() {
    open(P + "/calls?all=1&feedback=down");
    browser.await("only the call with a 👎", d -> {
      List<WebElement> rows = browser.all("#calls tbody tr");
      return rows.size() == 1 && "java-model-2".equals(rows.get(0).getAttribute("data-call-id"));
    });
    assertEquals("down", new Select(browser.one("select[aria-label=feedback]"))
        .getFirstSelectedOption().getAttribute("value"));
    open(P + "/calls?all=1");
    browser.await("every call again", d -> browser.all("#calls tbody tr").size() > 1);
  }
}
