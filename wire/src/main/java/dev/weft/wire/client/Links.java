package dev.weft.wire.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** The links every client to a trace server shares; each does one thing. */
public final class Links {
  private Links() {}

  /** Sends Basic {@code api:KEY}, as Weave's SDKs do; nothing without a key. */
  public static Link auth(String apiKey) {
    String value = authorization(apiKey);
    if (value == null) return (r, next) -> next.send(r);
    return (r, next) -> next.send(new Wrapped(r, "Authorization", value, null));
  }

  /** The {@code Authorization} header's value for {@code apiKey} (Basic, user {@code api}); null without a key. */
  public static String authorization(String apiKey) {
    if (apiKey == null || apiKey.isBlank()) return null;
    return "Basic " + Base64.getEncoder().encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Compresses bodies while {@link ServerState#compress}; a server that does not take the
   * encoding gets the body again uncompressed, and, once that is taken, no compressed body
   * any more, so nothing is lost for its encoding.
   *
   * @param doing what the client does, for the note: "sending requests", "uploading"
   */
  public static Link gzip(ServerState state, String server, String doing, Notes notes) {
    return (r, next) -> {
      // A body that is not JSON (a multipart upload) names its own Content-Type and goes as it is.
      if (!state.compress() || r.headers().containsKey("Content-Type")) return next.send(r);
      byte[] zipped = r.gzipped();
      if (zipped == null) zipped = gzip(r.body());
      Outcome o = next.send(new Wrapped(r, "Content-Encoding", "gzip", zipped));
      if (!o.is(Outcome.Kind.COMPRESSION_REFUSED)) return o;
      Outcome plain = next.send(r);
      if (plain.is(Outcome.Kind.DELIVERED) && state.compress()) {
        state.stopCompressing();
        notes.info("the trace server at " + server + " refused a gzip-compressed request (" + o.status
            + ") and took it uncompressed; " + doing + " uncompressed from now on");
      }
      return plain;
    };
  }

  /** Retries what is worth retrying (see {@link Outcome.Kind#RETRY_LATER}) while {@code backoff} allows. */
  public static Link retry(Backoff backoff) {
    return (r, next) -> {
      for (int attempt = 0; ; attempt++) {
        Outcome o = next.send(r);
        if (!o.is(Outcome.Kind.RETRY_LATER) || !backoff.pause(attempt)) return o;
      }
    };
  }

  /** How long to wait before another attempt, or not at all. */
  public interface Backoff {
    /** Waits after failed attempt {@code attempt} (from 0); false: give up. */
    boolean pause(int attempt);
  }

  /**
   * A request of several items that the server refuses as too large goes again in parts with at
   * most half as many items, and later requests stay below the refused size (see
   * {@link ServerState#maxRequestBytes}). A single item still refused is lost. Halving ends it.
   */
  public static Link splitTooLarge(ServerState state, Notes notes) {
    return new Link() {
      @Override
      public Outcome send(Request r, Next next) throws IOException {
        Outcome o = next.send(r);
        if (!o.is(Outcome.Kind.TOO_LARGE) || r.items() < 2) return o;
        int refused = r.body().length;
        if (state.limitRequestBytes(refused / 2)) {
          notes.info("the trace server refused a request of " + refused + " bytes as too large;"
              + " sending requests of at most " + state.maxRequestBytes() + " bytes from now on");
        }
        List<Request> parts = r.split();
        if (parts.isEmpty()) return o;
        List<Outcome> outcomes = new ArrayList<>();
        for (Request part : parts) {
          outcomes.add(send(part, next).settle(part));
          part.release();
        }
        return Outcome.combine(outcomes);
      }
    };
  }

  /**
   * A project in calls_complete mode (hosted Weave answers legacy call routes with 400
   * {@code CALLS_COMPLETE_MODE_REQUIRED}) gets the same calls again in that form, and later
   * requests in that form from the start, as Weave's own SDKs switch.
   */
  public static Link callsComplete(ServerState state, Notes notes) {
    return (r, next) -> {
      String project = r.project();
      if (state.callsComplete(project)) {
        List<Request> converted = r.inCallsCompleteForm();
        if (converted != null) return sendAll(converted, next);
      }
      Outcome o = next.send(r);
      if (!o.is(Outcome.Kind.CALLS_COMPLETE_REQUIRED)) return o;
      List<Request> converted = r.inCallsCompleteForm();
      if (converted == null) return o;
      if (state.useCallsComplete(project)) {
        notes.info("project " + project + " takes calls only through calls/complete (calls_complete mode);"
            + " sending its calls that way from now on");
      }
      return sendAll(converted, next);
    };
  }

  private static Outcome sendAll(List<Request> parts, Link.Next next) throws IOException {
    List<Outcome> outcomes = new ArrayList<>();
    for (Request part : parts) {
      outcomes.add(next.send(part).settle(part));
      part.release();
    }
    return Outcome.combine(outcomes);
  }

  /** Gzip at the fastest level: on the export thread its time is the cost, and JSON shrinks well even so. */
  public static byte[] gzip(Request.Body body) throws IOException {
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(zipped, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    }) {
      gz.write(body.bytes, 0, body.length);
    }
    return zipped.toByteArray();
  }

  /** A request with one more header, and for a compressed one, its compressed body. */
  private static final class Wrapped implements Request {
    private final Request inner;
    private final Map<String, String> headers;
    private final byte[] body;

    Wrapped(Request inner, String header, String value, byte[] body) {
      this.inner = inner;
      Map<String, String> h = new HashMap<>(inner.headers());
      h.put(header, value);
      this.headers = h;
      this.body = body;
    }

    @Override
    public String path() {
      return inner.path();
    }

    @Override
    public String project() throws IOException {
      return inner.project();
    }

    @Override
    public Body body() throws IOException {
      return body != null ? Body.of(body) : inner.body();
    }

    @Override
    public Map<String, String> headers() {
      return headers;
    }

    @Override
    public int items() {
      return inner.items();
    }
  }
}
