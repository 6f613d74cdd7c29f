package dev.weft.junit;

import static dev.weft.it.Evaluations.op;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.it.LiveServer;
import dev.weft.it.WeaveTsSdk;
import dev.weft.junit.suite.TriageSuite;
import dev.weft.server.Browser;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * Evaluations as their real writers write them, in the web UI in headless Chromium: the Weave
 * TypeScript SDK's two forms and its logger writing a test suite's data; Weft's Java API under
 * the agent (the agent tests' EvalApp, the same data); and the JUnit extension (TriageSuite). Each
 * Java-written evaluation shows in the list, on its page and in a comparison as the SDK-written
 * one of the same data does, and as the calls on the server say; scores show as feedback on the
 * model's call, and a thumbs up given there filters the calls table. This module comes last
 * among the writers, so the test lives here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EvaluationsInTheUiIT {
  private static final String PROJECT = "acme/evals-live";
  private LiveServer server;
  private Browser browser;
  /** Each evaluation's root call id, by writer and name: "ts triage-eval", "java triage-logged", "junit triage-tests", … */
  private final Map<String, String> roots = new TreeMap<>();
  private final Map<String, JsonNode> calls = new LinkedHashMap<>();

  @BeforeAll
  void write() throws Exception {
    server = new LiveServer();
    WeaveTsSdk.write(server.base, "sdk-evaluation.mjs", PROJECT);
    note("ts");
    JUnitEvaluationIT.runUnderAgent(server.base, PROJECT, "dev.weft.it.apps.EvalApp");
    note("java");
    JUnitEvaluationIT.runUnderAgent(server.base, PROJECT, SuiteRunner.class.getName(), TriageSuite.class.getName());
    note("junit");
    WeaveTsSdk.write(server.base, "sdk-test-evaluation.mjs", PROJECT);
    note("ts");
    assertEquals(Set.of("ts triage-eval", "ts triage-logged", "ts triage-tests", "java triage-eval", "java triage-logged",
        "java failing-eval", "junit triage-tests"), roots.keySet());
    browser = Browser.start();
  }

  /** Records the evaluations the writer that just ran added. */
  private void note(String writer) throws Exception {
    Set<String> seen = new HashSet<>(calls.keySet());
    for (JsonNode c : server.calls(PROJECT)) {
      calls.put(c.get("id").asText(), c);
      if (!seen.contains(c.get("id").asText()) && op(c).equals("Evaluation.evaluate") && c.get("parent_id").isNull()) {
        String self = c.at("/inputs/self").asText();
        String name = self.substring(self.indexOf("/object/") + "/object/".length(), self.lastIndexOf(':'));
        assertNull(roots.put(writer + " " + name, c.get("id").asText()), "one " + name + " from " + writer);
      }
    }
  }

  @AfterAll
  void stop() throws Exception {
    if (browser != null) browser.close();
    if (server != null) server.close();
  }

  private void open(String hash) {
    browser.open(server.base + "/#/" + PROJECT + hash);
  }

  private String text(String css) {
    return browser.one(css).getText();
  }

  @Test
  void theListShowsJavaWrittenEvaluationsAsItShowsTheSdksOwn() {
    open("/evaluations");
    browser.await("all seven", d -> browser.all("#evaluations tbody tr").size() == 7);
    for (String[] pair : new String[][] {{"java triage-eval", "ts triage-eval"}, {"java triage-logged", "ts triage-logged"},
        {"junit triage-tests", "ts triage-tests"}}) {
      List<String> sdk = listed(pair[1]);
      // The SDK's Evaluation class alone summarises model_success; Weft writes the Python SDK's shape (docs/evaluations.md).
      if (pair[1].equals("ts triage-eval")) assertTrue(sdk.remove("model_success 100%"), sdk.toString());
      assertEquals(sdk, listed(pair[0]), pair[0] + " beside " + pair[1]);
    }
    assertEquals(List.of("triage-eval", "triage", "seeded-bugs", "confidence.long 100%", "confidence.score 1.10",
        "exactBugType 66.7%"), listed("java triage-eval"));
    assertEquals(List.of("triage-logged", "triage", "seeded bugs", "confidence 1", "exactBugType 50%"),
        listed("java triage-logged"));
    assertEquals(List.of("triage-tests", "triage", "seeded bugs", "confidence 1.10", "passed 66.7%"), listed("junit triage-tests"));
    assertEquals("2 of 3 true", browser.one(row("junit triage-tests") + "[data-metric=passed]").getAttribute("title"));
  }

  /** A list row as name, model, dataset, then its score chips in order of their metric. */
  private List<String> listed(String evaluation) {
    String r = row(evaluation);
    List<String> out = new ArrayList<>(List.of(text(r + "[data-col=name]"), text(r + "[data-col=model]"),
        text(r + "[data-col=dataset]")));
    List<String> chips = new ArrayList<>();
    for (WebElement chip : browser.all(r + "[data-metric]")) chips.add(chip.getText());
    chips.sort(null);
    out.addAll(chips);
    return out;
  }

  private String row(String evaluation) {
    return "#evaluations tr[data-call-id='" + roots.get(evaluation) + "'] ";
  }

  @Test
  void anEvaluationsRowsShowTheSameForJavaAndTheSdkAndAsItsCallsSay() throws Exception {
    for (String[] pair : new String[][] {{"java triage-eval", "ts triage-eval"}, {"java triage-logged", "ts triage-logged"},
        {"junit triage-tests", "ts triage-tests"}}) {
      Map<String, List<String>> java = shownRows(pair[0]), ts = shownRows(pair[1]);
      assertEquals(ts, java, pair[0] + " beside " + pair[1]);
    }
    // The JUnit row whose assertion failed: the output its test gave, and passed false.
    assertEquals(List.of("boundary", "off-by-one", "confidence=1", "passed=false"),
        shownRows("junit triage-tests").get("Range.contains"));
  }

  /**
   * One evaluation's page, each row as its bug → expected, output and scores, checked against the
   * prediction calls on the server as it is read.
   */
  private Map<String, List<String>> shownRows(String evaluation) throws Exception {
    String id = roots.get(evaluation);
    List<JsonNode> preds = new ArrayList<>();
    for (JsonNode c : calls.values()) {
      if (c.get("parent_id").asText().equals(id) && op(c).startsWith("Evaluation.predict")) preds.add(c);
    }
    open("/evaluations/" + id);
    browser.await(evaluation + "'s rows", d -> browser.all("#rows tbody tr").size() == preds.size());
    assertTrue(text("#evaluation-meta").contains(preds.size() + " rows"), text("#evaluation-meta"));
    Map<String, List<String>> out = new TreeMap<>();
    for (JsonNode pred : preds) {
      String r = "#rows tr[data-call-id='" + pred.get("id").asText() + "'] ";
      JsonNode output = pred.at("/output/output").isMissingNode() ? pred.at("/output/model_output") : pred.at("/output/output");
      assertEquals(output.asText(), text(r + "[data-col=output]"), evaluation);
      List<String> shown = new ArrayList<>(List.of(text(r + "[data-input=expected]"), text(r + "[data-col=output]")));
      List<String> scores = new ArrayList<>();
      for (WebElement s : browser.all(r + "[data-score]")) {
        String key = s.getAttribute("data-score");
        JsonNode stored = pred.at("/output/scores/" + key.replace('.', '/'));
        if (stored.isBoolean()) assertEquals(stored.asText(), s.getText(), evaluation + " " + key);
        else assertEquals(stored.asDouble(), Double.parseDouble(s.getText()), 0.005, evaluation + " " + key);
        scores.add(key + "=" + s.getText());
      }
      assertFalse(scores.isEmpty(), evaluation);
      scores.sort(null);
      shown.addAll(scores);
      out.put(text(r + "[data-input=bug]"), shown);
    }
    return out;
  }

  @Test
  void comparingJavaAndSdkEvaluationsMatchesTheirRowsByExample() {
    open("/evaluations?compare=" + String.join(",", roots.get("java triage-eval"), roots.get("ts triage-eval"),
        roots.get("ts triage-logged")));
    browser.await("the rows of all three, matched", d -> browser.all("#compare-rows tbody tr").size() == 3);
    List<String> exact = new ArrayList<>();
    for (WebElement td : browser.all("#compare-summary tr[data-metric=exactBugType] td")) exact.add(td.getText());
    assertEquals(List.of("exactBugType", "66.7%", "66.7%", "50%\n-16.7 pts"), exact);
    Map<String, List<String>> outputs = new TreeMap<>();
    for (WebElement tr : browser.all("#compare-rows tbody tr")) {
      List<String> cells = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        cells.add(tr.findElement(By.cssSelector("td[data-evaluation='" + i + "'] div, td[data-evaluation='"
            + i + "'] span.muted")).getText());
      }
      outputs.put(tr.findElement(By.cssSelector("[data-input=bug]")).getText(), cells);
      assertEquals("0", tr.getAttribute("data-worse"), "the same model: no row got worse");
    }
    assertEquals(Map.of("Calculator.add", List.of("off-by-one", "off-by-one", "off-by-one"),
        "Parser.parse", List.of("null-handling", "null-handling", "—"),
        "Range.contains", List.of("off-by-one", "off-by-one", "off-by-one")), outputs,
        "the dataset's rows (by ref) and the logger's (inline) are the same rows");
  }

  @Test
  void scoresShowAsFeedbackOnTheModelsCallAndAThumbsUpFiltersTheCalls() throws Exception {
    List<String> shown = new ArrayList<>();
    for (String evaluation : List.of("ts triage-logged", "java triage-logged")) {
      JsonNode model = modelCall(evaluation, "Range.contains");
      open("/traces/" + model.get("trace_id").asText() + "?call=" + model.get("id").asText());
      browser.await(evaluation + "'s two scores", d -> browser.all("#feedback [data-scorer]").size() == 2);
      shown.add(text("#feedback [data-scorer=exactBugType]") + " · " + text("#feedback [data-scorer=confidence]"));
    }
    assertEquals(List.of("exactBugType: false · confidence: 1", "exactBugType: false · confidence: 1"), shown);

    // A thumbs up on the Java-written model call (the page still shows it), then the calls table filtered by it.
    browser.one("#feedback [data-reaction='👍']").click();
    browser.await("a thumbs up", d -> text("#feedback [data-reaction='👍']").equals("👍 1"));
    String javaModel = modelCall("java triage-logged", "Range.contains").get("id").asText();
    open("/calls?all=1&feedback=up");
    browser.await("only the call with a 👍", d -> {
      List<WebElement> rows = browser.all("#calls tbody tr");
      return rows.size() == 1 && javaModel.equals(rows.get(0).getAttribute("data-call-id"));
    });
  }

  /** The Model.predict call of an evaluation's prediction for {@code bug}. */
  private JsonNode modelCall(String evaluation, String bug) {
    String root = roots.get(evaluation);
    JsonNode pred = calls.values().stream().filter(c -> c.get("parent_id").asText().equals(root)
        && c.at("/inputs/example/bug").asText().equals(bug)).findFirst().orElseThrow();
    return calls.values().stream().filter(c -> c.get("parent_id").equals(pred.get("id")) && op(c).equals("Model.predict"))
        .findFirst().orElseThrow();
  }
}
