package dev.weft.server.store;

import java.util.List;

/**
 * The part of a calls query a store answers itself: the project, lists of values a column must
 * be one of (null means any), and roots only. {@code opNames} may end in {@code :*} (any version).
 */
public record CallFilter(String projectId, List<String> opNames, List<String> parentIds,
    List<String> traceIds, List<String> callIds, List<String> threadIds, List<String> turnIds,
    List<String> wbUserIds, List<String> wbRunIds, boolean rootsOnly) {

  public static CallFilter project(String projectId) {
    return new CallFilter(projectId, null, null, null, null, null, null, null, null, false);
  }
}
