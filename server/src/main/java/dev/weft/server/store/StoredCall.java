package dev.weft.server.store;

/** A call as stored: times in epoch microseconds, JSON-valued fields as JSON text. */
public record StoredCall(String projectId, String id, String traceId, String parentId,
    String opName, String displayName, String threadId, String turnId, long startedAt,
    Long endedAt, String attributes, String inputs, String output, String exception,
    String summary, String wbUserId, String wbRunId, Long wbRunStep, Long wbRunStepEnd,
    Long deletedAt) {}
