package dev.weft.agent.bootstrap;

import java.io.ByteArrayOutputStream;
import java.util.Map;

/**
 * What an LLM call exchanged with its model, kept as it came on the app's threads and read on the
 * export thread: a provider's wire (raw JSON request, raw JSON or server-sent-event response), or,
 * for a framework's model call, captured request and response objects with the usage the
 * framework reports. Turning it into inputs, output and usage is the export thread's work
 * ({@code dev.weft.agent.llm.Decoders}), so the app never pays a second parse of a response.
 */
public final class LlmRecord {
  /** Past this, the rest of a request or response is not kept (it is marked cut when decoded). */
  public static final int MAX_BYTES = 16 << 20;

  /** Who answered: {@code openai}, {@code anthropic}, or a framework's name for its own calls. */
  public final String provider;
  /** Which API: {@code chat.completions}, {@code responses}, {@code embeddings}, {@code messages}, or {@code objects}. */
  public final String api;
  private final Bytes requestBytes = new Bytes();
  private final Bytes responseBytes = new Bytes();
  private volatile Object requestObject;
  private volatile Object responseObject;
  private volatile Map<String, Map<String, Long>> usage;
  private volatile int status;
  private volatile boolean stream;
  private volatile boolean abandoned;
  /** The decoded form, set once by the export thread. */
  public Object decoded;

  public LlmRecord(String provider, String api) {
    this.provider = provider;
    this.api = api;
  }

  /** The request body, as sent. */
  public Bytes requestBytes() {
    return requestBytes;
  }

  /** The response body, as received. */
  public Bytes responseBytes() {
    return responseBytes;
  }

  public void status(int httpStatus) {
    status = httpStatus;
  }

  public int status() {
    return status;
  }

  /** The response is a stream of server-sent events. */
  public void stream(boolean isStream) {
    stream = isStream;
  }

  public boolean isStream() {
    return stream;
  }

  /** The app stopped reading before the end: what was read is all there is. */
  public void abandoned() {
    abandoned = true;
  }

  public boolean wasAbandoned() {
    return abandoned;
  }

  /** A framework's request and response, captured (see {@code Capture.value}). */
  public void objects(Object request, Object response) {
    requestObject = request;
    responseObject = response;
  }

  public Object requestObject() {
    return requestObject;
  }

  public Object responseObject() {
    return responseObject;
  }

  /** Usage a framework reports: model → counts ({@code prompt_tokens}, {@code completion_tokens}, …). */
  public void usage(Map<String, Map<String, Long>> byModel) {
    usage = byModel;
  }

  public Map<String, Map<String, Long>> usage() {
    return usage;
  }

  /** Characters it holds, for the export queue's byte limit. */
  long size() {
    return requestBytes.size() + responseBytes.size();
  }

  /** Bytes as they pass, up to {@link #MAX_BYTES}; written by one thread at a time. */
  public static final class Bytes extends ByteArrayOutputStream {
    private boolean cut;

    @Override
    public synchronized void write(int b) {
      if (count < MAX_BYTES) super.write(b);
      else cut = true;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = Math.max(0, MAX_BYTES - count);
      if (len > room) cut = true;
      super.write(b, off, Math.min(len, room));
    }

    public synchronized boolean wasCut() {
      return cut;
    }
  }
}
