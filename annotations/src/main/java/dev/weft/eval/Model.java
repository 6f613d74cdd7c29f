package dev.weft.eval;

/**
 * What is evaluated: any function of a row, such as a lambda or a reference to a {@code @Traced}
 * method (whose call then nests under the prediction's {@code Model.predict} call).
 *
 * @param <R> the type of a row
 */
@FunctionalInterface
public interface Model<R> {
  Object predict(R row) throws Exception;
}
