package dev.weft.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Weave Evaluation: a dataset, scorers, and how to run them. {@link #evaluate} runs a model
 * over every row (times {@link #trials}), {@link #concurrency} rows at a time, scores each
 * output, and returns the summary. Under the Weft agent it records what Weave's SDKs record:
 * the Evaluation, Dataset, Model and Scorer objects; an {@code Evaluation.evaluate} call with
 * one {@code Evaluation.predict_and_score} call per row (its {@code Model.predict} call and a
 * {@code <scorer>.score} call per scorer inside), then {@code Evaluation.summarize}; and each
 * score as feedback on the model's call. Without the agent it runs the same and records nothing.
 *
 * <p>A model or scorer that throws fails its own call; the evaluation goes on.
 *
 * @param <R> the type of a row
 */
public final class Evaluation<R> {
  private final String name;
  private final Dataset<R> dataset;
  /** What the rows logged through {@link #start} are, when there is no dataset: a test class's name, say. */
  private final String datasetName;
  private final Map<String, Scorer<? super R>> scorers = new LinkedHashMap<>();
  private String description;
  private int trials = 1;
  private int concurrency = 5;

  private Evaluation(String name, Dataset<R> dataset, String datasetName) {
    this.name = Objects.requireNonNull(name, "name");
    this.dataset = dataset;
    this.datasetName = datasetName;
  }

  /** An evaluation of {@code dataset}, to run with {@link #evaluate}. */
  public static <R> Evaluation<R> of(String name, Dataset<R> dataset) {
    return new Evaluation<>(name, Objects.requireNonNull(dataset, "dataset"), dataset.name());
  }

  /**
   * An evaluation whose rows come one by one, through {@link #start}: a test suite's, say;
   * {@code datasetName} says where they come from, as Weave's EvaluationLogger names its dataset.
   */
  public static <R> Evaluation<R> named(String name, String datasetName) {
    return new Evaluation<>(name, null, datasetName);
  }

  /** Adds a scorer; its name keys its scores in the results and the summary. */
  public Evaluation<R> scorer(String name, Scorer<? super R> scorer) {
    scorers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(scorer, "scorer"));
    return this;
  }

  public Evaluation<R> description(String description) {
    this.description = description;
    return this;
  }

  /** How many times each row is evaluated (default 1). */
  public Evaluation<R> trials(int trials) {
    if (trials < 1) throw new IllegalArgumentException("trials must be at least 1: " + trials);
    this.trials = trials;
    return this;
  }

  /** How many rows are evaluated at once (default 5, as in Weave's TypeScript SDK). */
  public Evaluation<R> concurrency(int concurrency) {
    if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1: " + concurrency);
    this.concurrency = concurrency;
    return this;
  }

  public String name() {
    return name;
  }

  Dataset<R> dataset() {
    return dataset;
  }

  String datasetName() {
    return datasetName;
  }

  String description() {
    return description;
  }

  List<String> scorerNames() {
    return new ArrayList<>(scorers.keySet());
  }

  /**
   * Runs {@code model} on every row and scores it; returns Weave's summary: per scorer
   * {@code true_count}/{@code true_fraction} or {@code mean} (maps key by key), the model's
   * output likewise when it is a boolean or a number, and {@code model_latency.mean} in seconds.
   */
  public Map<String, Object> evaluate(String modelName, Model<? super R> model) {
    return run(modelName, model).summary();
  }

  /**
   * As {@link #evaluate}, but returns the finished run: its {@link EvaluationRun#summary} and,
   * under the agent, its {@link EvaluationRun#callId} for a link to it.
   */
  public EvaluationRun run(String modelName, Model<? super R> model) {
    Objects.requireNonNull(model, "model");
    if (dataset == null) throw new IllegalStateException("evaluation " + name + " has no dataset; use start() to log rows");
    try (EvaluationRun run = start(modelName)) {
      List<R> rows = dataset.rows();
      List<Runnable> tasks = new ArrayList<>();
      for (int t = 0; t < trials; t++) {
        for (int i = 0; i < rows.size(); i++) {
          int index = i;
          tasks.add(() -> predictAndScore(run, rows.get(index), index, model));
        }
      }
      runAll(tasks);
      run.finish();
      return run;
    }
  }

  private void predictAndScore(EvaluationRun run, R row, int index, Model<? super R> model) {
    Prediction p = run.predict(row, index);
    if (p.failed()) {
      p.finish();
      return;
    }
    Object output;
    try (Prediction.Scope s = p.modelRunning()) {
      output = model.predict(row);
    } catch (Throwable t) {
      p.error(t);
      p.finish();
      return;
    }
    p.output(output);
    for (Map.Entry<String, Scorer<? super R>> s : scorers.entrySet()) {
      p.score(s.getKey(), () -> s.getValue().score(row, output));
    }
    p.finish();
  }

  /** Runs the tasks, {@link #concurrency} at a time; in order on this thread when that is 1. */
  private void runAll(List<Runnable> tasks) {
    int threads = Math.min(concurrency, tasks.size());
    if (threads <= 1) {
      tasks.forEach(Runnable::run);
      return;
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "weft-eval-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable task : tasks) futures.add(pool.submit(task));
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("evaluation " + name + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("evaluation " + name + " failed", e.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Starts recording an evaluation of the model named {@code modelName} whose predictions are
   * logged one by one ({@link EvaluationRun#predict}); {@link EvaluationRun#finish} summarises it.
   */
  public EvaluationRun start(String modelName) {
    return new EvaluationRun(this, Objects.requireNonNull(modelName, "modelName"));
  }
}
