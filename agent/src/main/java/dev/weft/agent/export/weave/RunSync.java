package dev.weft.agent.export.weave;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.base.Failures;
import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.RunExit;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.run.Environment;
import dev.weft.agent.run.RunState;
import dev.weft.wire.IsoTime;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.JsonRequest;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Sends this JVM's run to the server's run routes (a Weft server has them; on others the run is
 * skipped with one log line): who it is, the metrics history as it grows, summary, tables, and at
 * the end its state.
 */
final class RunSync {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int POINTS_PER_REQUEST = 5000;

  private final RunState run;
  private final String project;
  private final List<String> tags;
  private final String group;
  private final Client client;
  private final BiConsumer<Request, Outcome> outcomes;
  private final LongSupplier droppedCalls;
  private final Asker asker;
  private boolean started;
  private boolean unsupported;
  /** When the next heartbeat is due (System.nanoTime), and how often: as the server says. */
  private long heartbeatDue;
  private long heartbeatNanos = 10_000_000_000L;

  /** A question to the server outside the client chain: its answer, or an IOException. */
  interface Asker {
    String ask(String path, byte[] body) throws IOException;
  }

  /**
   * @param droppedCalls calls lost so far, for the run's summary at the end
   * @param outcomes told of each request's outcome, for counting and logging
   */
  RunSync(RunState run, String project, List<String> tags, String group, Client client, Asker asker,
      BiConsumer<Request, Outcome> outcomes, LongSupplier droppedCalls) {
    this.asker = asker;
    this.run = run;
    this.project = project;
    this.tags = tags;
    this.group = group;
    this.client = client;
    this.outcomes = outcomes;
    this.droppedCalls = droppedCalls;
  }

  /** Sends what the run gathered since last time; at the end, its final state. */
  void sync(boolean finishing) throws IOException {
    if (unsupported) return;
    if (!started || run.takeConfigChange() != null) {
      Outcome o = client.send(request("/run/start", g -> writeRun(g, tags)));
      if (o.is(Outcome.Kind.REFUSED) && (o.status == 404 || o.status == 409)) {
        unsupported = true;
        // A Weft server refuses a known id without resume (409) or an unknown one with must (404,
        // "to resume"); any other 404 is a server without run routes.
        if (o.status == 409 || o.reason.contains("to resume")) Log.warn("the run is not sent: " + o.reason);
        else Log.info("the trace server has no run routes (not a Weft server?): run metrics are not sent");
        return;
      }
      if (!o.kept()) return; // tried again at the next sync
      started = true;
    }
    if (!finishing) heartbeat();
    List<RunState.Point> points = run.drainPoints();
    for (int from = 0; from < points.size(); from += POINTS_PER_REQUEST) {
      List<RunState.Point> part = points.subList(from, Math.min(points.size(), from + POINTS_PER_REQUEST));
      send("/run/log", g -> {
        ids(g, "run_id");
        g.writeArrayFieldStart("points");
        for (RunState.Point p : part) {
          g.writeStartObject();
          g.writeNumberField("step", p.step);
          g.writeStringField("timestamp", IsoTime.ofEpochMicros(p.epochMicros));
          g.writeObjectFieldStart("metrics");
          g.writeNumberField(p.name, p.value);
          g.writeEndObject();
          if (p.callId != null) g.writeStringField("call_id", p.callId);
          g.writeEndObject();
        }
        g.writeEndArray();
      });
    }
    Map<String, Object> summary = run.takeSummary();
    if (!summary.isEmpty() || finishing) {
      send("/run/summary", g -> {
        ids(g, "run_id");
        g.writeObjectFieldStart("summary");
        captured(g, summary);
        if (finishing) {
          g.writeObjectFieldStart("weft");
          g.writeNumberField("dropped_calls", droppedCalls.getAsLong());
          g.writeNumberField("dropped_metric_points", run.droppedPoints());
          g.writeNumberField("internal_failures", Failures.count());
          g.writeEndObject();
        }
        g.writeEndObject();
      });
    }
    for (RunState.Table t : run.takeTables()) {
      send("/run/table", g -> {
        ids(g, "run_id");
        g.writeStringField("name", t.name);
        g.writeObjectField("columns", t.columns);
        g.writeArrayFieldStart("rows");
        for (List<Object> row : t.rows) {
          g.writeStartArray();
          for (Object v : row) Capture.write(g, v);
          g.writeEndArray();
        }
        g.writeEndArray();
      });
    }
    if (finishing) finish();
  }

  /**
   * Says the run is alive, so the server does not mark it crashed; the answer says how often.
   * Not through the spool: a heartbeat that does not arrive has nothing to keep.
   */
  private void heartbeat() {
    long now = System.nanoTime();
    if (asker == null || now - heartbeatDue < 0) return;
    heartbeatDue = now + heartbeatNanos;
    try {
      byte[] body = JSON.writeValueAsBytes(Map.of("project_id", project, "id", run.id));
      long seconds = JSON.readTree(asker.ask("/run/heartbeat", body)).path("heartbeat_seconds").asLong(0);
      if (seconds > 0) {
        heartbeatNanos = seconds * 1_000_000_000L;
        heartbeatDue = now + heartbeatNanos;
      }
    } catch (IOException e) {
      Log.debug("heartbeat of run " + run.id + ": " + e.getMessage()); // the next one may arrive
    }
  }

  private void finish() throws IOException {
    boolean failed = RunExit.exitStatus() != 0 || RunExit.mainFailure() != null;
    if (failed && !tags.contains("failed")) {
      List<String> withFailed = new ArrayList<>(tags);
      withFailed.add("failed");
      send("/run/start", g -> writeRun(g, withFailed));
    }
    send("/run/finish", g -> {
      ids(g, "id");
      g.writeStringField("state", failed ? "failed" : "finished");
    });
  }

  /** The body of /run/start: who the run is, with these tags. */
  private void writeRun(JsonGenerator g, List<String> runTags) throws IOException {
    g.writeObjectFieldStart("run");
    ids(g, "id");
    g.writeStringField("name", run.name);
    g.writeObjectFieldStart("config");
    captured(g, run.config());
    g.writeEndObject();
    g.writeObjectField("tags", runTags);
    g.writeStringField("group", group);
    g.writeObjectField("environment", Environment.describe());
    g.writeStringField("started_at", IsoTime.ofEpochMicros(run.startedEpochMicros));
    if (run.resume != null) g.writeStringField("resume", run.resume);
    g.writeEndObject();
  }

  private void ids(JsonGenerator g, String runIdField) throws IOException {
    g.writeStringField("project_id", project);
    g.writeStringField(runIdField, run.id);
  }

  private static void captured(JsonGenerator g, Map<String, Object> values) throws IOException {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      g.writeFieldName(e.getKey());
      Capture.write(g, e.getValue());
    }
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private void send(String path, Fields fields) throws IOException {
    Request r = request(path, fields);
    outcomes.accept(r, client.send(r));
  }

  private static Request request(String path, Fields fields) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.writeStartObject();
      fields.write(g);
      g.writeEndObject();
    }
    return JsonRequest.of(path, out.toByteArray());
  }
}
