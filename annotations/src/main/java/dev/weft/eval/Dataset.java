package dev.weft.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A named list of rows to evaluate a model on: each row a {@code Map<String, ?>} or a record,
 * whose entries (components) are the row's columns. Published as Weave's {@code Dataset} object
 * with its rows in a table.
 *
 * @param <R> the type of a row
 */
public final class Dataset<R> {
  private final String name;
  private final List<R> rows;

  private Dataset(String name, List<R> rows) {
    this.name = Objects.requireNonNull(name, "name");
    this.rows = Collections.unmodifiableList(new ArrayList<>(Objects.requireNonNull(rows, "rows")));
  }

  public static <R> Dataset<R> of(String name, List<R> rows) {
    return new Dataset<>(name, rows);
  }

  public String name() {
    return name;
  }

  public List<R> rows() {
    return rows;
  }
}
