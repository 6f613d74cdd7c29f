package dev.weft.server.store;

import java.util.ArrayList;
import java.util.List;

/** The schema versions this server knows, for tests outside the store's package. */
public final class SchemaVersions {
  private SchemaVersions() {}

  /** "1", "2", … in order. */
  public static List<String> known() {
    return Schema.migrations().stream().map(m -> m.getVersion().getVersion()).toList();
  }

  /** "0" (the baseline of a database from before migrations), then {@link #known}. */
  public static List<String> afterBaseline() {
    List<String> out = new ArrayList<>(List.of("0"));
    out.addAll(known());
    return out;
  }
}
