package dev.weft.eval;

/** Scores for the prediction whose model runs on this thread: a JUnit test's, say. */
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
}
