package dev.weft.agent.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.Log;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Capture;
import dev.weft.wire.SpoolFiles;
import dev.weft.wire.WeaveDigest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.weft.agent.bootstrap.RunExit;
import dev.weft.agent.run.Environment;
import dev.weft.agent.run.RunState;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import okhttp3.MediaType;
import okhttp3.MultipartBody;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Sends calls to a Weave trace server (Weft's own, W&B's hosted Weave, or any compatible one):
 * each op published once as a Weave Op object, then call starts and ends through
 * {@code /call/upsert_batch}, so a long call shows as running. Network errors, 429 and 5xx are
 * retried with backoff; a batch the server refuses with another 4xx is logged and dropped.
 */
public final class WeaveExporter implements CallExporter {
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final MediaType BYTES = MediaType.get("application/octet-stream");
  // Large batches: the server commits (and fsyncs) once per request.
  private static final int MAX_ITEMS_PER_REQUEST = 5000;
  /** A request stops taking calls past this size (before gzip), so big captured values make smaller batches. */
  private static final int MAX_REQUEST_BYTES = 8 << 20;
  /** The answer of a server that takes no request this large. */
  private static final int TOO_LARGE = 413;
  private static final long[] BACKOFF_MS = {250, 500, 1000, 2000, 4000};
  /**
   * Call requests in flight at once, also from one export to the next: while the server parses or
   * commits one, the next is serialised and sent. The server merges starts and ends in any order,
   * so order does not matter.
   */
  private static final int IN_FLIGHT = 2;
  /** A request body grown past this is not kept for reuse. */
  private static final int MAX_KEPT_BODY = 16 << 20;
  private final List<Thread> senderThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(
      IN_FLIGHT, r -> {
        Thread t = new Thread(r, "weft-sender");
        t.setDaemon(true);
        senderThreads.add(t);
        return t;
      });

  /** Requests sent and not yet awaited, oldest first; only the export thread touches it. */
  private final java.util.ArrayDeque<Sending> inFlight = new java.util.ArrayDeque<>();
  /** Bodies of call requests, reused: filling a fresh multi-megabyte array costs more than writing it. */
  private final java.util.concurrent.ArrayBlockingQueue<Body> bodies = new java.util.concurrent.ArrayBlockingQueue<>(IN_FLIGHT + 1);

  private final String endpoint;
  /**
   * Compress bodies, except to a server on this machine (there it costs both sides CPU and saves
   * nothing) and once the server has shown that it does not take them ({@link #post}).
   */
  private volatile boolean gzip;
  private final String project;
  private final String authorization;
  private final OkHttpClient http;
  private final ObjectMapper json = new ObjectMapper();
  private final CallJson callJson;
  /** {@link #MAX_REQUEST_BYTES}, or less once the server has refused a request as too large. */
  private int maxRequestBytes = MAX_REQUEST_BYTES;
  /** Op refs by op id; null until published. */
  private String[] opRefs = new String[64];
  private final AtomicLong dropped = new AtomicLong();
  /** Closing: one attempt per request, no retries. */
  private volatile boolean closing;
  /** Aborted: no more network at all; everything left goes to the spool. */
  private volatile boolean aborted;
  /** The export thread, woken by {@link #abort} from a backoff sleep or a blocked request. */
  private volatile Thread exportThread;

  private final RunState run;
  private final List<String> tags;
  private final String group;
  private boolean runStarted;
  private boolean runUnsupported;

  /**
   * @param run this JVM's run, sent to the server's run routes (a Weft server has them; on
   *     others the run is skipped with one log line); or null
   */
  private final Spool spool;
  /** Offline: nothing is sent; everything goes to the spool, for a later sync. */
  private final boolean offline;
  /** Whether the spool may hold files to upload once the server answers. */
  private volatile boolean spoolPending = true;

  public WeaveExporter(String endpoint, String project, String apiKey, RunState run, List<String> tags,
      String group, Spool spool, boolean offline) {
    this.spool = spool;
    this.offline = offline;
    if (offline) aborted = true; // never touch the network
    this.run = run;
    this.tags = tags;
    this.group = group;
    this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.gzip = !isLoopback(this.endpoint);
    this.project = project;
    this.authorization = apiKey == null || apiKey.isEmpty() ? null
        : "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
    this.http = new OkHttpClient.Builder().connectTimeout(5, TimeUnit.SECONDS)
        .readTimeout(30, TimeUnit.SECONDS).writeTimeout(30, TimeUnit.SECONDS)
        .socketFactory(new NoDelaySockets()).build();
    this.callJson = new CallJson(project, this::opRef, run == null ? null : run.id);
  }

  @Override
  public String name() {
    return "weave";
  }

  @Override
  public boolean wantsStarts() {
    return true;
  }

  /** Calls the server refused, or that could not be delivered after all retries. */
  public long droppedCount() {
    return dropped.get();
  }

  /**
   * Hands the calls to the senders, {@link #IN_FLIGHT} requests at a time, and returns without
   * waiting for the last ones: the next export overlaps them. {@link #close} waits for all.
   */
  @Override
  public void export(List<Call> started, List<Call> ended) throws IOException {
    exportThread = Thread.currentThread();
    for (Call c : started) publish(c.op);
    for (Call c : ended) publish(c.op);
    List<Call> calls = new ArrayList<>(started.size() + ended.size());
    calls.addAll(started);
    calls.addAll(ended);
    for (int from = 0; from < calls.size(); ) {
      while (inFlight.size() >= IN_FLIGHT) await(inFlight.removeFirst());
      Body body = bodies.poll();
      if (body == null) body = new Body(Math.min(calls.size() - from, MAX_ITEMS_PER_REQUEST) * 800);
      int n;
      try {
        n = batch(calls, from, MAX_ITEMS_PER_REQUEST, body);
      } catch (IOException | RuntimeException e) {
        reuse(body);
        throw e;
      }
      Body filled = body;
      int size = body.size();
      java.util.concurrent.Future<Integer> sent = senders.submit(() -> {
        try {
          return send("/call/upsert_batch", filled.bytes(), filled.size(), n);
        } finally {
          reuse(filled);
        }
      });
      inFlight.add(new Sending(sent, calls.subList(from, from + n), size));
      from += n;
    }
  }

  /** A call request handed to a sender, its calls and its size. */
  private static final class Sending {
    final java.util.concurrent.Future<Integer> outcome;
    final List<Call> calls;
    final int bytes;

    Sending(java.util.concurrent.Future<Integer> outcome, List<Call> calls, int bytes) {
      this.outcome = outcome;
      this.calls = calls;
      this.bytes = bytes;
    }
  }

  /** A request body whose array is sent as it is, without a copy. */
  private static final class Body extends ByteArrayOutputStream {
    Body(int size) {
      super(size);
    }

    byte[] bytes() {
      return buf;
    }
  }

  private void reuse(Body body) {
    if (body.bytes().length > MAX_KEPT_BODY) return;
    body.reset();
    bodies.offer(body);
  }

  /**
   * Waits for a request to be delivered or spooled, and marks its starts as sent (only here, on
   * the export thread, which alone reads the mark); one refused as too large is sent again in
   * smaller ones. An interrupt (abort) does not cut the wait short: on abort the senders stop
   * retrying and spool, so the wait is short.
   */
  private void await(Sending sending) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          int outcome = sending.outcome.get();
          if (outcome == DELIVERED) {
            for (Call c : sending.calls) c.startSent = true;
          } else if (outcome == TOO_LARGE) {
            sendSmaller(sending.calls, sending.bytes);
          }
          return;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (java.util.concurrent.CancellationException e) {
          return;
        } catch (java.util.concurrent.ExecutionException e) {
          if (e.getCause() instanceof IOException) throw (IOException) e.getCause();
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Waits for every request in flight: before the run's end is sent, and before the JVM may exit. */
  private void awaitAll() throws IOException {
    IOException failed = null;
    while (!inFlight.isEmpty()) {
      try {
        await(inFlight.removeFirst());
      } catch (IOException e) {
        if (failed == null) failed = e; // still wait for the others
      }
    }
    if (failed != null) throw failed;
  }

  /**
   * Writes one upsert_batch body with one generator — a start item, an end item, or both per
   * call — from {@code calls[from]} on, until the request is full by count or size; returns how
   * many calls it took (at least one).
   */
  private int batch(List<Call> calls, int from, int most, ByteArrayOutputStream out) throws IOException {
    int n = 0;
    try (JsonGenerator g = Capture.jsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeArrayFieldStart("batch");
      for (int i = from; i < calls.size() && n < most; i++, n++) {
        if (n > 0 && out.size() >= maxRequestBytes) break; // out lags the generator by its buffer: close enough
        Call c = calls.get(i);
        boolean ended = c.exportedEnd;
        if (!ended || !c.startSent) writeItem(g, c, "start");
        if (ended) writeItem(g, c, "end");
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return n;
  }

  private void writeItem(JsonGenerator g, Call c, String mode) throws IOException {
    g.writeStartObject();
    g.writeStringField("mode", mode);
    g.writeObjectFieldStart("req");
    g.writeObjectFieldStart(mode);
    if (mode.equals("start")) {
      callJson.writeStartFields(g, c);
    } else {
      g.writeStringField("project_id", project);
      g.writeStringField("id", c.id());
      callJson.writeEndFields(g, c);
    }
    g.writeEndObject();
    g.writeEndObject();
    g.writeEndObject();
  }

  private String opRef(Op op) {
    String ref = op.id < opRefs.length ? opRefs[op.id] : null;
    return ref != null ? ref : op.name;
  }

  /** Publishes an op once: its "source" as a file, then the Op object that names it. */
  private void publish(Op op) throws IOException {
    if (op.id >= opRefs.length) opRefs = java.util.Arrays.copyOf(opRefs, Math.max(op.id + 1, opRefs.length * 2));
    if (opRefs[op.id] != null) return;
    byte[] code = ("// " + op.className + "." + op.methodName + "(" + String.join(", ", op.paramNames) + ")\n"
        + "// traced by Weft as op " + op.name + "\n").getBytes(StandardCharsets.UTF_8);
    String fileDigest = WeaveDigest.of(code);
    String objectId = safeName(op.name);
    // The op's ref is its content digest, computed here as Weave computes it (json.dumps with
    // sorted keys), so calls name their op by ref even while the server is away; the op itself
    // is published now, or from the spool later.
    String val = "{\"_type\": \"CustomWeaveType\", \"files\": {\"obj.py\": \"" + fileDigest
        + "\"}, \"weave_type\": {\"type\": \"Op\"}}";
    opRefs[op.id] = "weave:///" + project + "/op/" + objectId + ":" + WeaveDigest.of(val.getBytes(StandardCharsets.UTF_8));
    JsonNode file = aborted ? null : call(request("/file/create", new MultipartBody.Builder().setType(MultipartBody.FORM)
        .addFormDataPart("project_id", project)
        .addFormDataPart("file", "obj.py", RequestBody.create(code, BYTES)).build()));
    // A server that answered but refused gets the rest as usual; one that cannot be reached (or
    // offline mode) has both kept in the spool at once, not retried again: its retries were spent.
    boolean reachable = file != null || lastRefused;
    if (file == null) {
      // Weft's JSON form of /file/create: the spool holds JSON bodies only.
      byte[] fileJson = json.writeValueAsBytes(Map.of("project_id", project,
          "content_base64", Base64.getEncoder().encodeToString(code)));
      deliver("/file/create", fileJson, fileJson.length, reachable);
    }
    String obj = "{\"obj\":{\"project_id\":" + quote(project) + ",\"object_id\":" + quote(objectId) + ",\"val\":" + val + "}}";
    byte[] objJson = obj.getBytes(StandardCharsets.UTF_8);
    deliver("/obj/create", objJson, objJson.length, reachable);
  }

  /**
   * Sockets with Nagle's algorithm off: a request's headers and body go out at once instead of
   * the body waiting ~40 ms for the server's delayed ACK of the headers, on every batch.
   */
  private static final class NoDelaySockets extends javax.net.SocketFactory {
    private final javax.net.SocketFactory plain = javax.net.SocketFactory.getDefault();

    private static java.net.Socket noDelay(java.net.Socket s) throws IOException {
      s.setTcpNoDelay(true);
      return s;
    }

    @Override
    public java.net.Socket createSocket() throws IOException {
      return noDelay(plain.createSocket());
    }

    @Override
    public java.net.Socket createSocket(String host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(String host, int port, java.net.InetAddress local, int localPort) throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port) throws IOException {
      return noDelay(plain.createSocket(host, port));
    }

    @Override
    public java.net.Socket createSocket(java.net.InetAddress host, int port, java.net.InetAddress local, int localPort) throws IOException {
      return noDelay(plain.createSocket(host, port, local, localPort));
    }
  }

  /** Whether the endpoint names this machine: localhost or a loopback address (no DNS lookup). */
  static boolean isLoopback(String endpoint) {
    okhttp3.HttpUrl url = okhttp3.HttpUrl.parse(endpoint);
    if (url == null) return false;
    String host = url.host();
    return host.equals("localhost") || host.equals("::1") || host.matches("127\\.\\d+\\.\\d+\\.\\d+");
  }

  /** Weave object ids allow letters, digits, '.', '_' and '-'. */
  static String safeName(String opName) {
    String s = opName.replaceAll("[^A-Za-z0-9._-]", "_");
    return s.length() > 128 ? s.substring(0, 128) : s;
  }

  private String quote(String s) throws IOException {
    return json.writeValueAsString(s);
  }

  /** Whether the last {@link #call} that failed was refused by a server that answered, not unreachable. */
  private boolean lastRefused;

  private JsonNode call(Request request) {
    lastRefused = false;
    for (int attempt = 0; ; attempt++) {
      if (aborted) return null;
      try (Response r = http.newCall(request).execute()) {
        if (r.isSuccessful()) return json.readTree(r.body().byteStream());
        if (r.code() != 429 && r.code() < 500) {
          Log.warn("the trace server refused " + request.url().encodedPath() + ": " + r.code() + " " + r.body().string());
          lastRefused = true;
          return null;
        }
      } catch (IOException e) {
        if (attempt == 0) Log.debug("trace server unreachable: " + e.getMessage());
      }
      if (closing || attempt >= BACKOFF_MS.length) return null;
      sleep(BACKOFF_MS[attempt]);
    }
  }

  /** What became of a request: delivered, refused by the server, kept in the spool, or dropped. */
  private static final int DELIVERED = 200, SPOOLED = 0, DROPPED = -1;

  /**
   * POSTs a JSON body (gzip-compressed unless the server is on this machine or does not take
   * it), retrying network errors, 429 and 5xx with backoff. When the server stays unreachable
   * (or the JVM is exiting) the body goes to the spool instead. Returns {@link #DELIVERED}, the
   * status of a refusing server (logged), {@link #SPOOLED} or {@link #DROPPED}.
   */
  private int deliver(String path, byte[] body) throws IOException {
    return deliver(path, body, body.length, true);
  }

  /**
   * As {@link #deliver(String, byte[])}, for the first {@code length} bytes of {@code body};
   * without {@code network}, straight to the spool.
   */
  private int deliver(String path, byte[] body, int length, boolean network) throws IOException {
    byte[] zipped = gzip ? gzip(body, length) : null;
    for (int attempt = 0; ; attempt++) {
      if (network && !aborted) {
        try (Response r = post(path, zipped, () -> RequestBody.create(body, JSON_TYPE, 0, length))) {
          if (r.isSuccessful()) return DELIVERED;
          if (r.code() != 429 && r.code() < 500) {
            if (r.code() != 404) Log.warn("the trace server refused " + path + " (" + r.code() + "): " + truncate(r.body().string()));
            return r.code();
          }
        } catch (IOException e) {
          if (attempt == 0) Log.debug("trace server unreachable: " + e.getMessage());
        }
      }
      if (!network || closing || aborted || attempt >= BACKOFF_MS.length) {
        if (spool != null && spool.write(path, zipped != null ? zipped : gzip(body, length))) {
          spoolPending = true;
          return SPOOLED;
        }
        Log.warn("could not deliver " + path + " to " + endpoint + "; dropped");
        return DROPPED;
      }
      sleep(BACKOFF_MS[attempt]);
    }
  }

  /**
   * Sends call items: {@link #DELIVERED}, {@link #SPOOLED}, {@link #TOO_LARGE} for a request of
   * several calls the server refused as too large (sent again in smaller ones by the export
   * thread), or else {@link #DROPPED}, counted.
   */
  private int send(String path, byte[] body, int length, int items) throws IOException {
    int outcome = deliver(path, body, length, true);
    if (outcome == DELIVERED || outcome == SPOOLED || (outcome == TOO_LARGE && items > 1)) return outcome;
    dropped.addAndGet(items);
    return DROPPED;
  }

  /**
   * Sends again calls the server refused as too large (413), each request with at most half as
   * many calls and bytes, and no request larger from then on; a single call it still refuses is
   * dropped and counted. Halving the count each time ends it.
   */
  private void sendSmaller(List<Call> calls, int refusedBytes) throws IOException {
    if (refusedBytes / 2 < maxRequestBytes) {
      maxRequestBytes = Math.max(1, refusedBytes / 2);
      Log.info("the trace server refused a request of " + refusedBytes + " bytes as too large;"
          + " sending requests of at most " + maxRequestBytes + " bytes from now on");
    }
    int most = Math.max(1, calls.size() / 2);
    Body body = new Body(Math.min(refusedBytes, MAX_REQUEST_BYTES));
    for (int from = 0; from < calls.size(); ) {
      body.reset();
      int n = batch(calls, from, most, body);
      List<Call> part = calls.subList(from, from + n);
      int outcome = send("/call/upsert_batch", body.bytes(), body.size(), n);
      if (outcome == DELIVERED) {
        for (Call c : part) c.startSent = true;
      } else if (outcome == TOO_LARGE) {
        sendSmaller(part, body.size());
      }
      from += n;
    }
  }

  /** The uncompressed body of a request, made only if it is needed. */
  private interface PlainBody {
    RequestBody get() throws IOException;
  }

  /**
   * POSTs a body, gzip-compressed when {@code zipped} is given and compression is still on. If
   * the server did not take the encoding ({@link SpoolFiles#refusedCompressed}), the body goes
   * again uncompressed, and if that is taken no body is compressed from then on: nothing is
   * dropped for its encoding.
   */
  private Response post(String path, byte[] zipped, PlainBody plain) throws IOException {
    if (zipped == null || !gzip) return http.newCall(request(path, plain.get())).execute();
    Response r = http.newCall(request(path, RequestBody.create(zipped, JSON_TYPE)).newBuilder()
        .header("Content-Encoding", "gzip").build()).execute();
    if (!SpoolFiles.refusedCompressed(r.code())) return r;
    int refused = r.code();
    r.close();
    Response again = http.newCall(request(path, plain.get())).execute();
    if (again.isSuccessful() && gzip) {
      gzip = false;
      Log.info("the trace server at " + endpoint + " refused a gzip-compressed request (" + refused
          + ") and took it uncompressed; sending requests uncompressed from now on");
    }
    return again;
  }

  private static byte[] gzip(byte[] body, int length) throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(length / 4 + 64);
    // The fastest level: on the export thread compression time is the cost, and call JSON
    // shrinks well even so.
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 64 * 1024) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED);
      }
    }) {
      gz.write(body, 0, length);
    }
    return zipped.toByteArray();
  }

  private Request request(String path, RequestBody body) {
    Request.Builder b = new Request.Builder().url(endpoint + path).post(body).header("User-Agent", "weft-java/" + CallJson.CLIENT_VERSION);
    if (authorization != null) b.header("Authorization", authorization);
    return b.build();
  }

  private static String truncate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }

  /**
   * A backoff pause; {@link #finishing} and {@link #abort} end it early (the interrupt is ours,
   * so it is not kept), and the caller, seeing why, spools instead of retrying.
   */
  private void sleep(long ms) {
    Thread self = Thread.currentThread();
    pausing.add(self);
    try {
      if (!closing) Thread.sleep(ms);
    } catch (InterruptedException ended) {
      // carry on: the caller sees closing or aborted
    } finally {
      pausing.remove(self);
    }
  }

  /** Threads in a backoff pause, so an exiting JVM can cut it short without touching any I/O. */
  private final java.util.Set<Thread> pausing = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Override
  public void finishing() {
    closing = true; // from now on a failed delivery is spooled at once, not retried
    for (Thread t : pausing) t.interrupt();
  }

  @Override
  public void idle() throws IOException {
    exportThread = Thread.currentThread();
    uploadSpool();
    syncRun(false);
  }

  /**
   * Uploads what an earlier run (or this one, while the server was away) left in the spool,
   * oldest first, stopping at the first failure; on the export thread, never the app's.
   */
  private void uploadSpool() throws IOException {
    if (!spoolPending || offline || aborted || spool == null) return;
    List<java.nio.file.Path> files = spool.files();
    for (java.nio.file.Path f : files) {
      if (aborted) return;
      byte[] zipped = java.nio.file.Files.readAllBytes(f); // the spool keeps bodies gzip-compressed
      try (Response r = post(Spool.route(f), zipped, () -> RequestBody.create(SpoolFiles.uncompressed(zipped), JSON_TYPE))) {
        if (r.isSuccessful()) {
          spool.remove(f, false);
        } else if (r.code() != 429 && r.code() < 500) {
          Log.warn("the trace server refused spooled " + f.getFileName() + " (" + r.code() + "); moved to rejected/");
          spool.remove(f, true);
        } else {
          return; // the server is not well yet: keep the rest for later
        }
      } catch (IOException e) {
        return;
      }
    }
    if (!files.isEmpty()) Log.info("uploaded " + files.size() + " spooled request(s) from " + spool.dir());
    spoolPending = false;
  }

  /** Sends what the run gathered since last time; at the end, its final state. */
  private void syncRun(boolean finishing) throws IOException {
    if (run == null || runUnsupported) return;
    Map<String, Object> configChange = run.takeConfigChange();
    if (!runStarted || configChange != null) {
      Map<String, Object> r = runStart(tags);
      int status = post("/run/start", Map.of("run", r));
      if (status == 404) {
        runUnsupported = true;
        Log.info("the trace server has no run routes (not a Weft server?): run metrics are not sent");
        return;
      }
      if (status != DELIVERED && status != SPOOLED) return; // retried at the next sync
      runStarted = true;
    }
    List<RunState.Point> points = run.drainPoints();
    for (int from = 0; from < points.size(); from += 5000) {
      List<Map<String, Object>> batch = new ArrayList<>();
      for (RunState.Point p : points.subList(from, Math.min(points.size(), from + 5000))) {
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("step", p.step);
        point.put("timestamp", isoMicros(p.epochMicros));
        point.put("metrics", Map.of(p.name, p.value));
        if (p.callId != null) point.put("call_id", p.callId);
        batch.add(point);
      }
      post("/run/log", Map.of("project_id", project, "run_id", run.id, "points", batch));
    }
    Map<String, Object> summary = run.takeSummary();
    if (finishing) {
      Map<String, Object> weft = new LinkedHashMap<>();
      weft.put("dropped_calls", Pipeline.droppedTotal() + dropped.get());
      weft.put("dropped_metric_points", run.droppedPoints());
      weft.put("internal_failures", dev.weft.agent.bootstrap.Failures.count());
      summary.put("weft", weft);
    }
    if (!summary.isEmpty()) post("/run/summary", Map.of("project_id", project, "run_id", run.id, "summary", plain(summary)));
    for (RunState.Table t : run.takeTables()) {
      List<List<Object>> rows = new ArrayList<>();
      for (List<Object> row : t.rows) rows.add(plain(row));
      post("/run/table", Map.of("project_id", project, "run_id", run.id, "name", t.name, "columns", t.columns, "rows", rows));
    }
    if (finishing) {
      boolean failed = RunExit.exitStatus() != 0 || RunExit.mainFailure() != null;
      if (failed && !tags.contains("failed")) {
        List<String> withFailed = new ArrayList<>(tags);
        withFailed.add("failed");
        Map<String, Object> r = runStart(withFailed);
        post("/run/start", Map.of("run", r));
      }
      Map<String, Object> finish = new LinkedHashMap<>();
      finish.put("project_id", project);
      finish.put("id", run.id);
      finish.put("state", failed ? "failed" : "finished");
      post("/run/finish", finish);
    }
  }

  /** The body of /run/start: who the run is, with these tags. */
  private Map<String, Object> runStart(List<String> runTags) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("project_id", project);
    r.put("id", run.id);
    r.put("name", run.name);
    r.put("config", json.valueToTree(plain(run.config())));
    r.put("tags", runTags);
    r.put("group", group);
    r.put("environment", Environment.describe());
    r.put("started_at", isoMicros(run.startedEpochMicros));
    return r;
  }

  /** Captured values (scalars, strings, JSON text) as plain values Jackson writes as JSON. */
  private List<Object> plain(List<Object> values) {
    List<Object> out = new ArrayList<>();
    for (Object v : values) out.add(plainValue(v));
    return out;
  }

  private Map<String, Object> plain(Map<String, Object> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    values.forEach((k, v) -> out.put(k, plainValue(v)));
    return out;
  }

  private Object plainValue(Object v) {
    if (v instanceof dev.weft.agent.capture.Json) {
      try {
        return json.readTree(((dev.weft.agent.capture.Json) v).text);
      } catch (IOException e) {
        return v.toString();
      }
    }
    return v;
  }

  private static String isoMicros(long micros) {
    return Timestamps.iso(micros * 1000);
  }

  private int post(String path, Object body) throws IOException {
    return deliver(path, json.writeValueAsBytes(body));
  }

  @Override
  public void abort() {
    aborted = true;
    // End the senders' backoff pauses; they see the abort and spool. (Not shutdownNow: a request
    // handed over but not yet started must still run, and spool.)
    for (Thread t : senderThreads) t.interrupt();
    http.dispatcher().cancelAll();
    Thread t = exportThread;
    if (t != null) t.interrupt();
  }

  @Override
  public void close() throws IOException {
    closing = true;
    try {
      awaitAll(); // the calls, before the run's end
      syncRun(true);
    } finally {
      senders.shutdown();
      http.dispatcher().executorService().shutdown();
      http.connectionPool().evictAll();
    }
  }
}
