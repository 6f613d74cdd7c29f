package dev.weft.demo;

/**
 * A one-line change to a unit: line {@code line} (1-based) reads {@code before} and becomes
 * {@code after}. {@code id} names it stably across runs, for the fix cache.
 */
public record Patch(String id, String unit, String kind, int line, String before, String after, boolean fromCache) {

  String applyTo(String source) {
    String[] lines = source.split("\n", -1);
    if (line < 1 || line > lines.length || !lines[line - 1].equals(before)) {
      throw new IllegalStateException("patch " + id + " does not fit the source at line " + line);
    }
    lines[line - 1] = after;
    return String.join("\n", lines);
  }

  Patch cached() {
    return new Patch(id, unit, kind, line, before, after, true);
  }
}
