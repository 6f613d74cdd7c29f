package dev.weft.agent.export.weave;

import dev.weft.agent.base.Clock;
import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.export.CallExporter;
import dev.weft.agent.export.CallJson;
import dev.weft.agent.export.weave.CallsRequest.Form;
import dev.weft.agent.run.RunState;
import dev.weft.wire.Loopback;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.Link;
import dev.weft.wire.client.Links;
import dev.weft.wire.client.Notes;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import dev.weft.wire.client.ServerState;
import dev.weft.wire.client.SpoolUpload;
import dev.weft.wire.client.Transport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Sends calls, ops and the run to a Weave trace server (Weft's own, W&B's hosted Weave, or any
 * compatible one). Glue: requests go through one chain of links (docs/weave-protocol.md, "How
 * Weft sends"): calls_complete mode, 413 splitting, the spool, retries, compression, auth.
 */
public final class WeaveExporter implements CallExporter {
  /** Large requests: the server commits (and fsyncs) once per request. */
  private static final int MAX_CALLS_PER_REQUEST = 5000;
  private static final int IN_FLIGHT = 2;

  private final String project;
  private final ServerState state;
  private final OkHttpTransport http;
  private final Spool spool;
  private final boolean offline;
  private final Client upload;
  /** Requests to the server as they are made: spooled when it is away. */
  private final Client live;
  private final CallJson json;
  private final OpPublisher ops;
  private final WeaveObjects objects;
  private final RunSync runSync;
  /** The Authorization header's value, for questions asked outside the client chain; or null. */
  private final String authorization;
  private final Senders senders;
  private final RunningCalls running = new RunningCalls();
  private final AtomicLong dropped = new AtomicLong();
  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final Backoff backoff = new Backoff();
  private volatile boolean aborted;
  private static final Notes LOG = LogNotes.LOG;

  /**
   * @param run this JVM's run, sent to the server's run routes; or null
   * @param callsComplete send calls in the calls_complete form from the start, not only once asked
   * @param droppedByQueue calls the export queue dropped, for the run's summary
   */
  public WeaveExporter(String endpoint, String project, String apiKey, boolean callsComplete, RunState run,
      List<String> tags, String group, Path spoolDir, long spoolMaxBytes, boolean offline, LongSupplier droppedByQueue) {
    String server = endpoint.replaceAll("/+$", "");
    this.project = project;
    this.state = new ServerState(!Loopback.isUrl(server));
    if (callsComplete) state.useCallsComplete(project);
    this.http = new OkHttpTransport(server);
    this.authorization = Links.authorization(apiKey);
    this.spool = new Spool(spoolDir, spoolMaxBytes);
    this.offline = offline;
    Transport transport = offline ? (path, body, headers) -> Outcome.unreachable(new IOException("offline")) : http;
    List<Link> toServer = List.of(Links.gzip(state, server, "sending requests", LOG), Links.auth(apiKey));
    this.live = new Client(concat(List.of(Links.callsComplete(state, LOG), Links.splitTooLarge(state, LOG),
        spool.link(), backoff.watch(), Links.retry(backoff)), toServer), transport);
    this.upload = new Client(concat(List.of(Links.callsComplete(state, LOG), Links.splitTooLarge(state, LOG)),
        toServer), transport);
    this.ops = new OpPublisher(project, live, this::outcome);
    this.objects = new WeaveObjects(project, ops);
    this.json = new CallJson(project, ops::ref, run == null ? null : run.id);
    this.runSync = run == null ? null : new RunSync(run, project, tags, group, live,
        offline ? null : (path, body) -> http.ask(path, body, authorization), this::outcome,
        () -> droppedByQueue.getAsLong() + dropped.get());
    this.senders = new Senders(IN_FLIGHT, live, this::outcome);
  }

  private static List<Link> concat(List<Link> a, List<Link> b) {
    List<Link> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Override
  public String name() {
    return "weave";
  }

  /**
   * {@code weft.resume}: asks the server about the run before the app runs, and has its steps go
   * on after the run's last one. The refusal to stop the app with (must without the run, never
   * with it), or null.
   */
  public String resume(RunState run) {
    if (run == null || run.resume == null || offline) return null;
    try {
      Long last = ResumeCheck.lastStep(http, authorization, project, run);
      if (last == null) {
        Log.warn("could not ask the trace server about run " + run.id + " to resume it: its steps start at 0,"
            + " and the server refuses points behind the run's last step");
      } else {
        run.continueAfter(last);
      }
      return null;
    } catch (ResumeCheck.Refused e) {
      return e.getMessage();
    }
  }

  /** Where evaluations publish their objects, tables and feedback. */
  public dev.weft.agent.bootstrap.ObjectSink objects() {
    return objects;
  }

  @Override
  public boolean wantsStarts() {
    return true;
  }

  @Override
  public void export(List<Call> runningNow, List<Call> ended) throws IOException {
    for (Call c : runningNow) ops.publish(c.op);
    for (Call c : ended) ops.publish(c.op);
    running.add(runningNow);
    List<Call> whole = new ArrayList<>(ended.size());
    List<Call> alone = new ArrayList<>();
    for (Call c : ended) (running.ended(c) ? alone : whole).add(c);
    send(running.due(Clock.nowEpochNanos()), Form.UPSERT_STARTS, Form.START);
    send(whole, Form.UPSERT_CALLS, Form.COMPLETE);
    send(alone, Form.UPSERT_ENDS, Form.END);
    objects.send(live, this::outcome);
  }

  /** Sends calls in requests of the form the project takes: legacy upsert_batch, or calls_complete. */
  private void send(List<Call> calls, Form upsert, Form complete) throws IOException {
    Form form = state.callsComplete(project) ? complete : upsert;
    for (int from = 0; from < calls.size(); ) {
      CallsRequest r = CallsRequest.fill(form, json, calls, from, MAX_CALLS_PER_REQUEST, state.maxRequestBytes());
      senders.submit(r);
      from += r.items();
    }
  }

  /** Counts what a request lost; says once per cause why the server refused it. */
  private void outcome(Request r, Outcome o) {
    if (o.kept() || o.is(Outcome.Kind.RETRY_LATER) || r.path().startsWith("/run/") && o.status == 404) return;
    if (r instanceof CallsRequest) dropped.addAndGet(o.lost);
    if (warned.size() < 100 && warned.add(r.path() + " " + o.kind + " " + o.status)) {
      Log.warn("the trace server did not take " + r.path() + ": " + o + (r instanceof CallsRequest
          ? "; its calls were dropped and are counted in the run's summary" : "") + " (said once)");
    }
  }

  @Override
  public void idle() throws IOException {
    send(running.due(Clock.nowEpochNanos()), Form.UPSERT_STARTS, Form.START);
    running.sweep(Clock.nowEpochNanos());
    objects.send(live, this::outcome);
    long mark = spool.uploadDue();
    if (mark >= 0 && !offline && !aborted) {
      SpoolUpload.Result r = SpoolUpload.run(spool.dir(), upload, LOG, (f, o) -> {});
      spool.uploaded(mark, r.stoppedBy == null);
      if (r.uploaded > 0) Log.info("uploaded " + r.uploaded + " spooled request(s) from " + spool.dir());
    }
    if (runSync != null) runSync.sync(false);
  }

  @Override
  public void finishing() {
    backoff.stop(); // from now on a failed request is spooled at once, not retried
  }

  @Override
  public void abort() {
    aborted = true;
    backoff.stop();
    http.abort(); // requests in flight fail now, and are spooled
  }

  @Override
  public void close() throws IOException {
    backoff.stop();
    try {
      objects.send(live, this::outcome);
      senders.awaitAll(); // the calls, before the run's end
      if (runSync != null) runSync.sync(true);
    } finally {
      senders.shutdown();
      http.close();
    }
  }
}
