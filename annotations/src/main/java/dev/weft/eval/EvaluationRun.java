package dev.weft.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One run of an evaluation against one model: the {@code Evaluation.evaluate} call, open until
 * {@link #finish}. Predictions are logged into it one by one ({@link #predict}), from any
 * thread; {@link #finish} records {@code Evaluation.summarize} and returns the summary.
 */
public final class EvaluationRun implements AutoCloseable {
  private static final List<Object> OBJECT_BASES = Arrays.asList("Object", "BaseModel");

  private final Evaluation<?> evaluation;
  private final String modelName;
  final String modelRef;
  final String evaluationRef;
  /** The dataset's ref and its rows' digests, or null when it was not published. */
  private final String datasetRef;
  private final List<String> rowDigests;
  private final Map<String, String> scorerRefs = new ConcurrentHashMap<>();
  private final Object call;
  private final List<Map<String, Object>> results = Collections.synchronizedList(new ArrayList<>());
  /** Predictions logged and not finished yet: {@link #finish} finishes them, as Weave's EvaluationLogger does. */
  private final Set<Prediction> open = Collections.synchronizedSet(new LinkedHashSet<>());
  private Map<String, Object> summary;

  EvaluationRun(Evaluation<?> evaluation, String modelName) {
    this.evaluation = evaluation;
    this.modelName = modelName;
    Dataset<?> dataset = evaluation.dataset();
    List<String> table = dataset == null ? null : Bridge.table(tableRows(dataset.rows()));
    if (table != null && !table.isEmpty()) {
      rowDigests = table.subList(1, table.size());
      Map<String, Object> val = object("Dataset", "Dataset", OBJECT_BASES, dataset.name());
      val.put("rows", table.get(0));
      datasetRef = Bridge.object(Rows.objectId(dataset.name()), val);
    } else {
      rowDigests = null;
      datasetRef = null;
    }
    List<Object> scorers = new ArrayList<>();
    for (String s : evaluation.scorerNames()) scorers.add(orName(scorerRef(s), s));
    Map<String, Object> model = object("Model", "Model", OBJECT_BASES, modelName);
    model.put("modelName", modelName);
    modelRef = Bridge.object(Rows.objectId(modelName), model);
    Map<String, Object> eval = object("Evaluation", "Evaluation", OBJECT_BASES, evaluation.name());
    if (evaluation.description() != null) eval.put("description", evaluation.description());
    eval.put("dataset", dataset == null ? evaluation.datasetName() : orName(datasetRef, dataset.name()));
    eval.put("scorers", scorers);
    evaluationRef = Bridge.object(Rows.objectId(evaluation.name()), eval);
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("self", orName(evaluationRef, evaluation.name()));
    inputs.put("model", orName(modelRef, modelName));
    call = Bridge.open(null, "Evaluation.evaluate", inputs);
  }

  /** A Weave Object's value: its class, bases and name. */
  static Map<String, Object> object(String type, String className, List<Object> bases, String name) {
    Map<String, Object> val = new LinkedHashMap<>();
    val.put("_type", type);
    val.put("_class_name", className);
    val.put("_bases", bases);
    val.put("name", name);
    return val;
  }

  static Object orName(String ref, String name) {
    return ref != null ? ref : name;
  }

  private static List<Map<String, Object>> tableRows(List<?> rows) {
    List<Map<String, Object>> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Map<String, Object> columns = Rows.columns(rows.get(i));
      if (columns == null) {
        columns = new LinkedHashMap<>();
        columns.put("error", Rows.notARow(rows.get(i), i)); // kept in place, so row digests stay aligned
      }
      out.add(columns);
    }
    return out;
  }

  /** The ref of the Scorer object named {@code name}, published the first time. */
  String scorerRef(String name) {
    String ref = scorerRefs.get(name);
    if (ref != null) return ref;
    Map<String, Object> val = object(name, name, Arrays.asList("Scorer", "Object", "BaseModel"), name);
    val.put("scorerName", name);
    ref = Bridge.object(Rows.objectId(name), val);
    if (ref != null) scorerRefs.put(name, ref);
    return ref;
  }

  /**
   * Logs a prediction for {@code row}, a map or a record of the columns the model gets (a test's
   * arguments, say): opens its {@code Evaluation.predict_and_score} call and, in it, the
   * {@code Model.predict} call. Give it the output (or error), scores, then {@link Prediction#finish}.
   */
  public Prediction predict(Object row) {
    return predict(row, -1);
  }

  /** @param index the row's place in the dataset, for its ref; -1 for a row logged on its own */
  Prediction predict(Object row, int index) {
    Object example = index >= 0 && rowDigests != null && index < rowDigests.size()
        ? datasetRef + "/attr/rows/id/" + rowDigests.get(index) : row;
    Prediction p = new Prediction(this, row, index, example);
    open.add(p);
    return p;
  }

  Object call() {
    return call;
  }

  /**
   * The id of this run's {@code Evaluation.evaluate} call under the agent, else null. Weft's UI
   * shows the evaluation at {@code /#/ENTITY/PROJECT/evaluations/ID}.
   */
  public String callId() {
    return Bridge.callId(call);
  }

  String evaluationName() {
    return evaluation.name();
  }

  String modelName() {
    return modelName;
  }

  void add(Prediction p, Map<String, Object> result) {
    results.add(result);
    open.remove(p);
  }

  /**
   * Ends the run: finishes predictions not finished yet, records {@code Evaluation.summarize}
   * and ends {@code Evaluation.evaluate}, both with the summary, which it returns. Again, it
   * returns the same summary.
   */
  public synchronized Map<String, Object> finish() {
    if (summary != null) return summary;
    List<Prediction> unfinished;
    synchronized (open) {
      unfinished = new ArrayList<>(open);
    }
    for (Prediction p : unfinished) p.finish();
    List<Map<String, Object>> rows;
    synchronized (results) {
      rows = new ArrayList<>(results);
    }
    summary = Collections.unmodifiableMap(Summaries.of(rows));
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("self", orName(evaluationRef, evaluation.name()));
    Object summarize = Bridge.open(call, "Evaluation.summarize", inputs);
    Bridge.end(summarize, summary, null);
    Bridge.end(call, summary, null);
    return summary;
  }

  /** The summary once finished, else null. */
  public synchronized Map<String, Object> summary() {
    return summary;
  }

  /** Finishes the run if it is not yet. */
  @Override
  public void close() {
    finish();
  }
}
