package dev.weft.agent.bootstrap;

import java.util.List;

/**
 * Where an evaluation's objects, tables and feedback go: the exporter that speaks to a Weave
 * trace server. Refs come back at once, computed as Weave computes them, so calls can name
 * objects before any server has seen them (offline too); the requests follow on the export
 * thread. Called on app threads: never blocks, never throws.
 */
public interface ObjectSink {
  /** Publishes an object, its value JSON text; returns {@code weave:///e/p/object/id:digest}. */
  String object(String objectId, String valJson);

  /** Publishes a table of rows, each JSON object text; returns its ref, then each row's digest. */
  List<String> table(List<String> rowJsons);

  /** The ref the op is published under. */
  String opRef(Op op);

  /**
   * Records a scorer's result ({@code score}, as captured) as Weave's
   * {@code wandb.runnable.<scorer>} feedback on {@code modelCall}.
   */
  void scoreFeedback(Call modelCall, String scorer, Object score, String scorerRef, Call scorerCall);
}
