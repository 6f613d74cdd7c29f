package dev.weft.server.store;

import java.util.List;

/**
 * The part of a calls query a store answers itself: the project, lists of values a column must
 * be one of (null means any), and roots only. {@code opNames} may end in {@code :*} (any version).
 * {@code status} (null means any) narrows to calls that can have that {@code summary.weave.status}:
 * exactly for {@code error} and {@code running}; {@code success} and {@code descendant_error}
 * both mean ended without an exception, and the caller tells them apart.
 */
public record CallFilter(String projectId, List<String> opNames, List<String> parentIds,
    List<String> traceIds, List<String> callIds, List<String> threadIds, List<String> turnIds,
    List<String> wbUserIds, List<String> wbRunIds, boolean rootsOnly, String status) {

  public static CallFilter project(String projectId) {
    return new CallFilter(projectId, null, null, null, null, null, null, null, null, false, null);
  }
}
