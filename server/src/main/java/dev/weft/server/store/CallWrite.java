package dev.weft.server.store;

/**
 * One half of a call as clients send it: its start or its end. The store merges the halves by
 * {@code (project_id, id)} whatever order they arrive in. JSON-valued fields are JSON text.
 */
public sealed interface CallWrite {
  String projectId();

  String id();

  record Start(String projectId, String id, String traceId, String parentId, String opName,
      String displayName, String threadId, String turnId, long startedAt, String attributes,
      String inputs, String wbUserId, String wbRunId, Long wbRunStep) implements CallWrite {}

  record End(String projectId, String id, long endedAt, String output, String exception,
      String summary, Long wbRunStepEnd, String displayName) implements CallWrite {}
}
