package dev.weft.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * One row's prediction in an {@link EvaluationRun}: its {@code Evaluation.predict_and_score}
 * call, holding the {@code Model.predict} call and one {@code <scorer>.score} call per score.
 * Give it the model's output or error, scores, then {@link #finish}.
 */
public final class Prediction {
  private static final ThreadLocal<Prediction> CURRENT = new ThreadLocal<>();

  private final EvaluationRun run;
  private final Object call;
  private final long startNanos = System.nanoTime();
  private Object modelCall;
  private boolean modelEnded;
  private Object output;
  private double modelLatency;
  private final Map<String, Object> scores = new LinkedHashMap<>();
  /** Scores given while the model still runs: recorded once it has ended, so they follow its call. */
  private final List<Object[]> pending = new ArrayList<>();
  private final boolean failed;
  private boolean finished;

  Prediction(EvaluationRun run, Object row, int index, Object example) {
    this.run = run;
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("self", EvaluationRun.orName(run.evaluationRef, run.evaluationName()));
    inputs.put("model", EvaluationRun.orName(run.modelRef, run.modelName()));
    inputs.put("example", example);
    call = Bridge.open(run.call(), "Evaluation.predict_and_score", inputs);
    Map<String, Object> columns = Rows.columns(row);
    if (columns == null) {
      failed = true;
      modelEnded = true;
      Bridge.end(call, null, new IllegalArgumentException(Rows.notARow(row, index)));
      return;
    }
    failed = false;
    Map<String, Object> modelInputs = new LinkedHashMap<>();
    modelInputs.put("self", EvaluationRun.orName(run.modelRef, run.modelName()));
    modelInputs.putAll(columns);
    modelCall = Bridge.open(call, "Model.predict", modelInputs);
  }

  /** The prediction whose model runs on this thread (inside {@link #modelRunning}), or null. */
  public static Prediction current() {
    return CURRENT.get();
  }

  /** Whether the row could not be evaluated (not a map or a record); its call holds the error. */
  boolean failed() {
    return failed;
  }

  /**
   * Makes the model's call current on this thread until closed, so calls the model makes (its
   * {@code @Traced} methods) nest in it, and {@link Scores#add} reaches this prediction.
   */
  public Scope modelRunning() {
    return new Scope(this, Bridge.enter(modelCall));
  }

  /** Ends the model's call with its output. */
  public synchronized void output(Object output) {
    if (modelEnded) return;
    this.output = output;
    endModel(output, null);
  }

  /**
   * Gives the model's output while its call still runs (a JUnit test's result, through
   * {@link Scores#output}); the call ends with it when {@link #finish} ends the call.
   */
  synchronized void keep(Object output) {
    if (!modelEnded) this.output = output;
  }

  /**
   * Ends the model's call with the error it threw. The prediction keeps an output given by
   * {@link #keep} (a test's result before its assertion failed), else it has none.
   */
  public synchronized void error(Throwable error) {
    if (modelEnded) return;
    endModel(null, error);
  }

  private void endModel(Object output, Throwable error) {
    modelLatency = (System.nanoTime() - startNanos) / 1e9;
    modelEnded = true;
    Bridge.end(modelCall, output, error);
    List<Object[]> given = new ArrayList<>(pending);
    pending.clear();
    for (Object[] s : given) record((String) s[0], () -> s[1]);
  }

  /** Adds a score: a boolean, a number or a map of such, recorded as the scorer {@code name}'s call. */
  public synchronized void score(String name, Object value) {
    if (finished || failed) return;
    if (!modelEnded) {
      pending.add(new Object[] {name, value});
      return;
    }
    record(name, () -> value);
  }

  /** Runs a scorer in its own call; a scorer that throws fails that call, and scores nothing. */
  synchronized void score(String name, Callable<Object> scorer) {
    if (finished || failed) return;
    record(name, scorer);
  }

  private void record(String name, Callable<Object> scorer) {
    String scorerRef = run.scorerRef(name);
    Map<String, Object> inputs = new LinkedHashMap<>();
    inputs.put("self", EvaluationRun.orName(scorerRef, name));
    inputs.put("output", output);
    Object scoreCall = Bridge.open(call, name + ".score", inputs);
    Object value;
    try (AutoCloseable scope = Bridge.enter(scoreCall)) {
      value = scorer.call();
    } catch (Throwable t) {
      Bridge.end(scoreCall, null, t);
      scores.put(name, null);
      return;
    }
    Bridge.end(scoreCall, value, null);
    scores.put(name, value);
    // Named as the Scorer object is, as Weave's clients name it: wandb.runnable.<object id>.
    Bridge.feedback(modelCall, Rows.objectId(name), value, scorerRef, scoreCall);
  }

  /** The scores so far, by scorer name. */
  public synchronized Map<String, Object> scores() {
    return new LinkedHashMap<>(scores);
  }

  /**
   * Ends the prediction: its call's output is {@code output}, {@code scores} and
   * {@code model_latency} (seconds), and it joins the run's summary.
   */
  public synchronized void finish() {
    if (finished) return;
    if (!modelEnded) output(output);
    finished = true;
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("output", output);
    result.put("scores", new LinkedHashMap<>(scores));
    result.put("model_latency", modelLatency);
    if (!failed) Bridge.end(call, result, null);
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("output", output);
    row.putAll(scores);
    if (!failed) row.put("model_latency", modelLatency);
    run.add(this, row);
  }

  /** The model's call made current, and this prediction the one {@link Scores#add} reaches. */
  public static final class Scope implements AutoCloseable {
    private final Prediction previous = CURRENT.get();
    private final AutoCloseable callScope;

    Scope(Prediction prediction, AutoCloseable callScope) {
      this.callScope = callScope;
      CURRENT.set(prediction);
    }

    @Override
    public void close() {
      if (previous == null) CURRENT.remove();
      else CURRENT.set(previous);
      if (callScope != null) {
        try {
          callScope.close();
        } catch (Exception e) {
          // the agent's scopes do not throw
        }
      }
    }
  }
}
