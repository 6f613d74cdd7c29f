package dev.weft.agent.export.weave;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.export.CallJson;
import dev.weft.wire.CallsComplete;
import dev.weft.wire.client.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Calls on their way to a trace server, in one of the forms Weave's call routes take: the body is
 * written from the calls with one generator, straight into a reused buffer. It can be rebuilt as
 * smaller requests (a 413) or in the calls_complete form (hosted Weave's 400), from the calls.
 */
final class CallsRequest implements Request {
  /** How the calls are written. */
  enum Form {
    /** {@code /call/upsert_batch} start items: calls running for a while. */
    UPSERT_STARTS("/call/upsert_batch"),
    /** {@code /call/upsert_batch} start and end items: calls that ended before their start went. */
    UPSERT_CALLS("/call/upsert_batch"),
    /** {@code /call/upsert_batch} end items alone, for calls whose start went before. */
    UPSERT_ENDS("/call/upsert_batch"),
    /** {@code calls/complete}: whole calls. */
    COMPLETE(null),
    /** {@code call/start}, one running call (calls_complete mode). */
    START(null),
    /** {@code call/end}, one call whose start went before (calls_complete mode). */
    END(null);

    final String upsertPath;

    Form(String upsertPath) {
      this.upsertPath = upsertPath;
    }

    boolean single() {
      return this == START || this == END;
    }
  }

  private static final int IN_POOL = 3;
  /** A buffer grown past this is not kept for reuse. */
  private static final int MAX_KEPT = 16 << 20;
  /** Buffers for request bodies: filling a fresh multi-megabyte array costs more than writing it. */
  private static final ArrayBlockingQueue<Buffer> POOL = new ArrayBlockingQueue<>(IN_POOL);

  private final Form form;
  private final CallJson json;
  private final List<Call> calls;
  private Buffer buffer;

  private CallsRequest(Form form, CallJson json, List<Call> calls, Buffer buffer) {
    this.form = form;
    this.json = json;
    this.calls = calls;
    this.buffer = buffer;
  }

  /**
   * A request of {@code calls[from]} on, as many as fit in {@code maxItems} and about
   * {@code maxBytes} (at least one; one alone for single forms).
   */
  static CallsRequest fill(Form form, CallJson json, List<Call> calls, int from, int maxItems, int maxBytes)
      throws IOException {
    Buffer buffer = POOL.poll();
    if (buffer == null) buffer = new Buffer(Math.min(calls.size() - from, maxItems) * 800);
    int most = form.single() ? 1 : maxItems;
    int n = write(form, json, calls, from, most, maxBytes, buffer);
    return new CallsRequest(form, json, calls.subList(from, from + n), buffer);
  }

  private static CallsRequest of(Form form, CallJson json, List<Call> calls) throws IOException {
    Buffer buffer = new Buffer(calls.size() * 800);
    write(form, json, calls, 0, calls.size(), Integer.MAX_VALUE, buffer);
    return new CallsRequest(form, json, calls, buffer);
  }

  /** Writes the body; returns how many calls it took. */
  private static int write(Form form, CallJson json, List<Call> calls, int from, int most, int maxBytes,
      Buffer out) throws IOException {
    int n = 0;
    try (JsonGenerator g = Capture.jsonFactory().createGenerator(out)) {
      g.writeStartObject();
      if (form == Form.START || form == Form.END) {
        g.writeFieldName(form == Form.START ? "start" : "end");
        if (form == Form.START) json.writeStart(g, calls.get(from));
        else json.writeEnd(g, calls.get(from), true);
        n = 1;
      } else {
        g.writeArrayFieldStart("batch");
        for (int i = from; i < calls.size() && n < most; i++, n++) {
          if (n > 0 && out.size() >= maxBytes) break; // out lags the generator by its buffer: close enough
          Call c = calls.get(i);
          if (form == Form.COMPLETE) {
            json.writeCall(g, c);
          } else {
            if (form != Form.UPSERT_ENDS) item(g, "start", c, json, false);
            if (form != Form.UPSERT_STARTS) item(g, "end", c, json, form == Form.UPSERT_ENDS);
          }
        }
        g.writeEndArray();
      }
      g.writeEndObject();
    }
    return n;
  }

  private static void item(JsonGenerator g, String mode, Call c, CallJson json, boolean endAlone) throws IOException {
    g.writeStartObject();
    g.writeStringField("mode", mode);
    g.writeObjectFieldStart("req");
    g.writeFieldName(mode);
    if (mode.equals("start")) json.writeStart(g, c);
    else json.writeEnd(g, c, endAlone);
    g.writeEndObject();
    g.writeEndObject();
  }

  @Override
  public String path() {
    switch (form) {
      case COMPLETE: return CallsComplete.completePath(json.projectId());
      case START: return CallsComplete.startPath(json.projectId());
      case END: return CallsComplete.endPath(json.projectId());
      default: return form.upsertPath;
    }
  }

  @Override
  public String project() {
    return json.projectId();
  }

  @Override
  public Body body() {
    return new Body(buffer.bytes(), buffer.size());
  }

  @Override
  public int items() {
    return calls.size();
  }

  @Override
  public List<Request> split() throws IOException {
    if (calls.size() < 2) return List.of();
    int half = calls.size() / 2;
    return List.of(of(form, json, calls.subList(0, half)), of(form, json, calls.subList(half, calls.size())));
  }

  @Override
  public List<Request> inCallsCompleteForm() throws IOException {
    List<Request> out = new ArrayList<>();
    switch (form) {
      case UPSERT_CALLS:
        out.add(of(Form.COMPLETE, json, calls));
        return out;
      case UPSERT_STARTS:
      case UPSERT_ENDS:
        for (Call c : calls) out.add(of(form == Form.UPSERT_STARTS ? Form.START : Form.END, json, List.of(c)));
        return out;
      default:
        return null;
    }
  }

  @Override
  public void release() {
    Buffer b = buffer;
    if (b == null || b.bytes().length > MAX_KEPT) return;
    buffer = null;
    b.reset();
    POOL.offer(b);
  }

  /** A body buffer whose array is sent as it is, without a copy. */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer(int size) {
      super(Math.max(size, 256));
    }

    byte[] bytes() {
      return buf;
    }
  }
}
