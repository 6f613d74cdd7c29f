package dev.weft.eval;

/** Scores, and the output, of the prediction whose model runs on this thread: a JUnit test's, say. */
public final class Scores {
  private Scores() {}

  /**
   * Adds a score (a boolean, a number, or a map of such) to the current prediction; ignored
   * outside one. It is recorded once the model's call has ended.
   */
  public static void add(String name, Object value) {
    Prediction p = Prediction.current();
    if (p != null) p.score(name, value);
  }

  /**
   * Gives the current prediction's output, what the model under test produced, shown beside its
   * scores; ignored outside a prediction. The last one given counts, even if the test then fails.
   */
  public static void output(Object output) {
    Prediction p = Prediction.current();
    if (p != null) p.keep(output);
  }
}
