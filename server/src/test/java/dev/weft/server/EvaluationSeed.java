package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * Evaluations for the UI tests, posted as their writers post them (the shapes of the agent's
 * EvaluationIT and src/test/node/sdk-evaluation.mjs): Weft's Java API (objects, the dataset's rows
 * in a table and named by ref, Evaluation.predict_and_score with Model.predict and the scorers'
 * calls, Evaluation.summarize, scores as feedback, LLM usage on the root), the Weave TypeScript
 * SDK's Evaluation class (Evaluation.predictAndScore, model_output, no summarize) over the same
 * dataset with another model, and its EvaluationLogger (rows inline), one output a script payload.
 */
final class EvaluationSeed {
  static final String PROJECT = "acme/evals";
  static final long T0 = Instant.parse("2026-11-21T09:00:00Z").toEpochMilli();
  /** bug, expected: the dataset's rows. */
  static final String[][] ROWS = {{"Calculator.add", "off-by-one"}, {"Parser.parse", "null-handling"},
      {"Range.contains", "boundary"}};
  /** What each model answers, row by row: triage misses Range.contains; triage-v2 gets it and misses the other two. */
  static final String[] JAVA_OUTPUTS = {"off-by-one", "null-handling", "off-by-one"};
  static final String[] TS_OUTPUTS = {"boundary", "off-by-one", "boundary"};
  static final String JAVA_ROOT = "java-eval";
  static final String TS_ROOT = "ts-eval";
  static final String LOGGED_ROOT = "logged-eval";

  private final ServerFixture s;
  private final ArrayNode batch = ServerFixture.JSON.createArrayNode();
  private final ArrayNode feedback = ServerFixture.JSON.createArrayNode();
  private final String datasetRef;
  private final List<String> rowRefs = new java.util.ArrayList<>();

  private EvaluationSeed(ServerFixture s) throws Exception {
    this.s = s;
    ObjectNode table = ServerFixture.JSON.createObjectNode();
    ObjectNode t = table.putObject("table").put("project_id", PROJECT);
    ArrayNode rows = t.putArray("rows");
    for (String[] r : ROWS) rows.addObject().put("bug", r[0]).put("expected", r[1]);
    JsonNode created = s.ok("/table/create", table);
    datasetRef = object("seeded-bugs", "{'_type':'Dataset','_class_name':'Dataset','_bases':['Object','BaseModel'],"
        + "'name':'seeded bugs','rows':'weave:///" + PROJECT + "/table/" + created.get("digest").asText() + "'}");
    for (JsonNode d : created.get("row_digests")) rowRefs.add(datasetRef + "/attr/rows/id/" + d.asText());
  }

  static void evaluations(ServerFixture s) throws Exception {
    EvaluationSeed seed = new EvaluationSeed(s);
    seed.javaForm();
    seed.typeScriptClassForm();
    seed.loggerForm();
    seed.flush();
  }

  private String object(String id, String val) throws Exception {
    ObjectNode body = ServerFixture.JSON.createObjectNode();
    body.putObject("obj").put("project_id", PROJECT).put("object_id", id).set("val", ServerFixture.val(val));
    return "weave:///" + PROJECT + "/object/" + id + ":" + s.ok("/obj/create", body).get("digest").asText();
  }

  static String op(String name) {
    return "weave:///" + PROJECT + "/op/" + name + ":d1g3st";
  }

  /** Weft's Java API: three rows by ref, each predicted, scored twice, and the scores as feedback. */
  private void javaForm() throws Exception {
    String exact = object("exactBugType", scorer("exactBugType"));
    String confidence = object("confidence", scorer("confidence"));
    String model = object("triage", "{'_type':'Model','_class_name':'Model','_bases':['Object','BaseModel'],"
        + "'name':'triage','modelName':'triage'}");
    String evaluation = object("triage-eval", "{'_type':'Evaluation','_class_name':'Evaluation','_bases':['Object','BaseModel'],"
        + "'name':'triage-eval','dataset':'" + datasetRef + "','scorers':['" + exact + "','" + confidence + "']}");
    String trace = "trace-java";
    long t = T0;
    ObjectNode summary = summary(JAVA_OUTPUTS, true);
    summary.putObject("model_latency").put("mean", 0.25);
    ObjectNode rootSummary = ServerFixture.obj("{'usage':{'gpt-4o-mini':{'requests':3,'prompt_tokens':1000,"
        + "'completion_tokens':500,'total_tokens':1500}}}");
    call(JAVA_ROOT, null, trace, "Evaluation.evaluate", t, t + 4000, obj("self", evaluation, "model", model), summary,
        rootSummary, null);
    for (int i = 0; i < ROWS.length; i++) {
      String pred = "java-pred-" + i, predict = "java-model-" + i;
      long at = t + 10 + i * 1000;
      String out = JAVA_OUTPUTS[i];
      boolean hit = out.equals(ROWS[i][1]);
      ObjectNode scores = ServerFixture.JSON.createObjectNode().put("exactBugType", hit);
      scores.putObject("confidence").put("score", out.length() / 10.0).put("long", out.length() > 8);
      ObjectNode output = ServerFixture.JSON.createObjectNode().put("output", out);
      output.set("scores", scores);
      output.put("model_latency", 0.25);
      call(pred, JAVA_ROOT, trace, "Evaluation.predict_and_score", at, at + 900,
          obj("self", evaluation, "model", model, "example", rowRefs.get(i)), output, null, null);
      ObjectNode inputs = obj("self", model, "bug", ROWS[i][0]);
      inputs.put("expected", ROWS[i][1]);
      call(predict, pred, trace, "Model.predict", at + 5, at + 255, inputs, ServerFixture.JSON.getNodeFactory().textNode(out),
          null, null);
      call(pred + "-exact", pred, trace, "exactBugType.score", at + 300, at + 301, obj("self", exact, "output", out),
          ServerFixture.JSON.getNodeFactory().booleanNode(hit), null, null);
      call(pred + "-conf", pred, trace, "confidence.score", at + 310, at + 311, obj("self", confidence, "output", out),
          scores.get("confidence"), null, null);
      feedback(predict, "exactBugType", exact, pred + "-exact", scores.get("exactBugType"));
      feedback(predict, "confidence", confidence, pred + "-conf", scores.get("confidence"));
    }
    call("java-summarize", JAVA_ROOT, trace, "Evaluation.summarize", t + 3900, t + 3901, obj("self", evaluation), summary,
        null, null);
  }

  /** The TypeScript SDK's Evaluation class: its own op names, the model's op, model_output, no summarize or feedback. */
  private void typeScriptClassForm() throws Exception {
    String evaluation = object("triage-eval", "{'_type':'Evaluation','_class_name':'Evaluation','_bases':['Object','BaseModel'],"
        + "'name':'triage-eval','dataset':'" + datasetRef + "','scorers':['" + op("exactBugType") + "'],"
        + "'evaluate':'" + op("Evaluation.evaluate") + "','predictAndScore':'" + op("Evaluation.predictAndScore") + "'}");
    String model = op("triage-v2");
    String trace = "trace-ts";
    long t = T0 + 3_600_000;
    ObjectNode summary = summary(TS_OUTPUTS, false);
    summary.putObject("model_latency").put("mean", 0.5);
    call(TS_ROOT, null, trace, "Evaluation.evaluate", t, t + 2000, obj("self", evaluation, "model", model), summary, null,
        "triage-eval_triage-v2");
    for (int i = 0; i < ROWS.length; i++) {
      String pred = "ts-pred-" + i;
      long at = t + 10 + i * 500;
      String out = TS_OUTPUTS[i];
      ObjectNode output = ServerFixture.JSON.createObjectNode().put("model_success", true).put("model_output", out);
      output.putObject("scores").put("exactBugType", out.equals(ROWS[i][1]));
      output.put("model_latency", 0.5);
      call(pred, TS_ROOT, trace, "Evaluation.predictAndScore", at, at + 450,
          obj("self", evaluation, "model", model, "example", rowRefs.get(i)), output, null, null);
      ObjectNode arg = ServerFixture.JSON.createObjectNode();
      arg.putObject("arg0").put("datasetRow", rowRefs.get(i));
      call(pred + "-model", pred, trace, "triage-v2", at + 5, at + 400, arg,
          ServerFixture.JSON.getNodeFactory().textNode(out), null, null);
    }
  }

  /** The TypeScript SDK's EvaluationLogger: rows inline, Weave's op names, a summarize call; one output a script. */
  private void loggerForm() throws Exception {
    String evaluation = object("triage-logged", "{'_type':'Evaluation','_class_name':'Evaluation',"
        + "'_bases':['Object','BaseModel'],'name':'triage-logged','dataset':'seeded bugs','scorers':[]}");
    String model = object("triage", "{'_type':'Model','_class_name':'Model','_bases':['Object','BaseModel'],"
        + "'name':'triage','modelName':'triage'}");
    String trace = "trace-logged";
    long t = T0 + 7_200_000;
    ObjectNode summary = ServerFixture.obj("{'exactBugType':{'true_count':1,'true_fraction':0.5}}");
    call(LOGGED_ROOT, null, trace, "Evaluation.evaluate", t, t + 600, obj("self", evaluation, "model", model), summary,
        null, null);
    String[] outputs = {"off-by-one", UiSeed.IMG};
    for (int i = 0; i < 2; i++) {
      String pred = "logged-pred-" + i;
      ObjectNode inputs = obj("self", evaluation, "model", model);
      inputs.putObject("example").put("bug", i == 0 ? "Calculator.add" : UiSeed.SCRIPT).put("expected", "off-by-one");
      ObjectNode output = ServerFixture.JSON.createObjectNode().put("output", outputs[i]);
      output.putObject("scores").put("exactBugType", i == 0);
      call(pred, LOGGED_ROOT, trace, "Evaluation.predict_and_score", t + 10 + i * 200, t + 200 + i * 200, inputs, output,
          null, null);
    }
    call("logged-summarize", LOGGED_ROOT, trace, "Evaluation.summarize", t + 550, t + 551, obj("self", evaluation), summary,
        null, null);
  }

  private static String scorer(String name) {
    return "{'_type':'" + name + "','_class_name':'" + name + "','_bases':['Scorer','Object','BaseModel'],"
        + "'name':'" + name + "','scorerName':'" + name + "'}";
  }

  /** Weave's summary of the exactBugType scores (and, for the Java form, confidence's). */
  private static ObjectNode summary(String[] outputs, boolean confidence) {
    int hits = 0;
    double lengths = 0;
    for (int i = 0; i < outputs.length; i++) {
      if (outputs[i].equals(ROWS[i][1])) hits++;
      lengths += outputs[i].length() / 10.0;
    }
    ObjectNode s = ServerFixture.JSON.createObjectNode();
    if (!confidence) s.putObject("model_success").put("true_count", outputs.length).put("true_fraction", 1.0);
    s.putObject("exactBugType").put("true_count", hits).put("true_fraction", hits / (double) outputs.length);
    if (confidence) {
      ObjectNode c = s.putObject("confidence");
      c.putObject("score").put("mean", lengths / outputs.length);
      c.putObject("long").put("true_count", outputs.length).put("true_fraction", 1.0);
    }
    return s;
  }

  private static ObjectNode obj(String... keyValues) {
    ObjectNode o = ServerFixture.JSON.createObjectNode();
    for (int i = 0; i < keyValues.length; i += 2) o.put(keyValues[i], keyValues[i + 1]);
    return o;
  }

  private void call(String id, String parent, String trace, String op, long start, long end, JsonNode inputs,
      JsonNode output, ObjectNode summary, String displayName) {
    ObjectNode st = batch.addObject().put("mode", "start").putObject("req").putObject("start");
    st.put("project_id", PROJECT).put("id", id).put("trace_id", trace).put("parent_id", parent)
        .put("op_name", op(op)).put("started_at", Instant.ofEpochMilli(start).toString()).put("display_name", displayName);
    st.putObject("attributes");
    st.set("inputs", inputs);
    ObjectNode en = batch.addObject().put("mode", "end").putObject("req").putObject("end");
    en.put("project_id", PROJECT).put("id", id).put("ended_at", Instant.ofEpochMilli(end).toString());
    en.set("output", output);
    en.set("summary", summary == null ? ServerFixture.JSON.createObjectNode() : summary);
  }

  /** A score as Weave records it: feedback on the model's call naming the scorer's object and call. */
  private void feedback(String modelCall, String scorer, String scorerRef, String scoreCall, JsonNode score) {
    ObjectNode f = feedback.addObject().put("project_id", PROJECT)
        .put("weave_ref", "weave:///" + PROJECT + "/call/" + modelCall).put("feedback_type", "wandb.runnable." + scorer)
        .put("runnable_ref", scorerRef).put("call_ref", "weave:///" + PROJECT + "/call/" + scoreCall);
    f.putObject("payload").set("output", score);
  }

  /** What a user gave through an SDK (call.feedback.add_reaction, add_note): a thumbs down and a note, a script payload. */
  private void userFeedback() {
    String ref = "weave:///" + PROJECT + "/call/java-model-2";
    feedback.addObject().put("project_id", PROJECT).put("weave_ref", ref).put("feedback_type", "wandb.reaction.1")
        .putObject("payload").put("emoji", "👎");
    feedback.addObject().put("project_id", PROJECT).put("weave_ref", ref).put("feedback_type", "wandb.note.1")
        .putObject("payload").put("note", "boundary, not off-by-one " + UiSeed.SCRIPT);
  }

  private void flush() throws Exception {
    userFeedback();
    s.ok("/call/upsert_batch", ServerFixture.JSON.createObjectNode().set("batch", batch));
    s.ok("/feedback/batch/create", ServerFixture.JSON.createObjectNode().set("batch", feedback));
  }
}
