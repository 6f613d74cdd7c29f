package dev.weft.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/** Versioned objects (ops, datasets, …), content-addressed files and tables, and feedback. */
public interface ObjectStore {

  /** One version of an object; {@code val} is JSON text. */
  record Obj(String projectId, String objectId, String digest, int versionIndex, boolean latest,
      String kind, String baseObjectClass, String leafObjectClass, String val, long createdAt,
      int sizeBytes) {}

  record TableRow(String digest, String val, int originalIndex) {}

  record Feedback(String projectId, String id, String weaveRef, String feedbackType, String payload,
      String creator, long createdAt, String annotationRef, String runnableRef, String callRef,
      String triggerRef) {}

  /** Stores {@code val} as the next version of the object, or returns the version with that content. */
  Obj createObject(String projectId, String objectId, JsonNode val);

  /** A version by digest, {@code latest}, or {@code v<N>}. */
  Optional<Obj> readObject(String projectId, String objectId, String digest);

  List<Obj> queryObjects(String projectId, List<String> objectIds, List<String> baseObjectClasses,
      Boolean isOp, boolean latestOnly, Long limit, long offset);

  int deleteObject(String projectId, String objectId, List<String> digests);

  String putFile(String projectId, byte[] content);

  Optional<byte[]> readFile(String projectId, String digest);

  /** Stores rows; returns the table digest followed by the row digests. */
  List<String> createTable(String projectId, List<JsonNode> rows);

  /** Rows of a table in order, or empty if there is no such table. */
  Optional<List<TableRow>> tableRows(String projectId, String digest);

  void createFeedback(Feedback feedback);

  List<Feedback> queryFeedback(String projectId, Long limit, long offset);
}
