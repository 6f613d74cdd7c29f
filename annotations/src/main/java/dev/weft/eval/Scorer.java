package dev.weft.eval;

/**
 * Scores one prediction: a function of the row and the model's output returning a boolean, a
 * number, or a map of such (maps nest). Weave summarises booleans as {@code true_count} and
 * {@code true_fraction}, numbers as {@code mean}.
 *
 * @param <R> the type of a row
 */
@FunctionalInterface
public interface Scorer<R> {
  Object score(R row, Object output) throws Exception;
}
