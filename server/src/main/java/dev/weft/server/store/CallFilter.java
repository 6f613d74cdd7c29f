package dev.weft.server.store;

import java.util.List;

/**
 * The part of a calls query a store answers itself: the project, lists of values a column must
 * be one of (null means any), and roots only. {@code opNames} may end in {@code :*} (any version).
 * {@code status} (null means any) narrows to calls that can have that {@code summary.weave.status}:
 * exactly for {@code error} and {@code running}; {@code success} and {@code descendant_error}
 * both mean ended without an exception, and the caller tells them apart.
 * {@code text} (null means none): groups of which each needs one of its matches, a case-blind
 * substring of a column's stored text; a coarse filter the caller refines, so it may let through
 * more than the caller wants but never less.
 * {@code feedbackTypes} (null means any call): calls with feedback of one of these types;
 * {@code feedbackEmojis} (null means any): calls with one of these reactions.
 */
public record CallFilter(String projectId, List<String> opNames, List<String> parentIds,
    List<String> traceIds, List<String> callIds, List<String> threadIds, List<String> turnIds,
    List<String> wbUserIds, List<String> wbRunIds, boolean rootsOnly, String status,
    List<List<TextMatch>> text, List<String> feedbackTypes, List<String> feedbackEmojis) {

  public CallFilter(String projectId, List<String> opNames, List<String> parentIds,
      List<String> traceIds, List<String> callIds, List<String> threadIds, List<String> turnIds,
      List<String> wbUserIds, List<String> wbRunIds, boolean rootsOnly, String status,
      List<List<TextMatch>> text) {
    this(projectId, opNames, parentIds, traceIds, callIds, threadIds, turnIds, wbUserIds, wbRunIds, rootsOnly, status,
        text, null, null);
  }

  /** Columns a text match may look in. */
  public static final java.util.Set<String> TEXT_COLUMNS = java.util.Set.of("op_name", "display_name", "inputs", "output");

  /** {@code term}, lower case, letters, digits and {@code _ . -} only, somewhere in {@code column}. */
  public record TextMatch(String column, String term) {
    public TextMatch {
      if (!TEXT_COLUMNS.contains(column)) throw new IllegalArgumentException("not a text column: " + column);
      if (!term.matches("[a-z0-9_.-]+")) throw new IllegalArgumentException("not a plain term: " + term);
    }
  }

  public static CallFilter project(String projectId) {
    return new CallFilter(projectId, null, null, null, null, null, null, null, null, false, null, null);
  }
}
