package dev.weft.agent.llm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Token usage for OpenAI chat streams, got as Weave's Python SDK gets it. A streamed chat
 * completion reports usage only when the request says {@code stream_options.include_usage}; when
 * the app's request does not, the request sent says so, and the stream the app reads is given
 * back as it would have come: the extra usage-only chunk ({@code "choices": []}) is taken out,
 * and so is the {@code "usage": null} that every other chunk then carries. The call's record
 * keeps the stream as the provider sent it. Byte work on the app's thread, no JSON parsing: the
 * top-level members of each small chunk are found by one scan.
 */
public final class ChatStreamUsage {
  private static final byte[] INCLUDE_USAGE = ",\"stream_options\":{\"include_usage\":true}"
      .getBytes(StandardCharsets.US_ASCII);

  private ChatStreamUsage() {}

  /** The request body, asking for usage; null when it is no stream or already says what it wants. */
  public static byte[] asked(byte[] body) {
    List<int[]> members = members(body, 0, body.length);
    if (members == null || find(body, members, "stream_options") != null) return null;
    int[] stream = find(body, members, "stream");
    if (stream == null || !is(body, stream[2], stream[3], "true")) return null;
    byte[] out = new byte[body.length + INCLUDE_USAGE.length];
    System.arraycopy(body, 0, out, 0, stream[3]);
    System.arraycopy(INCLUDE_USAGE, 0, out, stream[3], INCLUDE_USAGE.length);
    System.arraycopy(body, stream[3], out, stream[3] + INCLUDE_USAGE.length, body.length - stream[3]);
    return out;
  }

  /** The server-sent events of a stream whose request was {@link #asked}, as they would be unasked. */
  public static InputStream unasked(InputStream events) {
    return new Unasked(events);
  }

  /** An event as the app would have had it: empty for the usage-only chunk. */
  static byte[] unasked(byte[] event) {
    int data = indexOf(event, "data:", 0);
    if (data < 0) return event;
    int from = data + 5;
    if (from < event.length && event[from] == ' ') from++;
    int to = from;
    while (to < event.length && event[to] != '\n' && event[to] != '\r') to++;
    List<int[]> members = members(event, from, to);
    if (members == null) return event;
    int[] usage = find(event, members, "usage");
    if (usage == null) return event;
    int[] choices = find(event, members, "choices");
    if (choices != null && event[usage[2]] == '{' && isEmptyList(event, choices[2], choices[3])) return new byte[0];
    if (!is(event, usage[2], usage[3], "null")) return event;
    // Cut the member with one comma: the one after it, or for the last, the one before.
    int k = members.indexOf(usage);
    int cutFrom, cutTo;
    if (k + 1 < members.size()) {
      cutFrom = usage[0];
      cutTo = members.get(k + 1)[0];
    } else if (k > 0) {
      cutFrom = members.get(k - 1)[3];
      cutTo = usage[3];
    } else {
      cutFrom = usage[0];
      cutTo = usage[3];
    }
    byte[] out = new byte[event.length - (cutTo - cutFrom)];
    System.arraycopy(event, 0, out, 0, cutFrom);
    System.arraycopy(event, cutTo, out, cutFrom, event.length - cutTo);
    return out;
  }

  /**
   * The top-level members of the JSON object in {@code b[from, to)}, each as {key start (its
   * quote), key end (after its quote), value start, value end}; null if it is not an object.
   */
  static List<int[]> members(byte[] b, int from, int to) {
    int i = skip(b, from, to);
    if (i >= to || b[i] != '{') return null;
    List<int[]> out = new ArrayList<>();
    i = skip(b, i + 1, to);
    if (i < to && b[i] == '}') return out;
    while (i < to) {
      if (b[i] != '"') return null;
      int keyEnd = endOfString(b, i, to);
      if (keyEnd < 0) return null;
      int colon = skip(b, keyEnd, to);
      if (colon >= to || b[colon] != ':') return null;
      int value = skip(b, colon + 1, to);
      int valueEnd = endOfValue(b, value, to);
      if (valueEnd < 0) return null;
      out.add(new int[] {i, keyEnd, value, valueEnd});
      i = skip(b, valueEnd, to);
      if (i >= to) return null;
      if (b[i] == '}') return out;
      if (b[i] != ',') return null;
      i = skip(b, i + 1, to);
    }
    return null;
  }

  private static int[] find(byte[] b, List<int[]> members, String key) {
    for (int[] m : members) if (is(b, m[0] + 1, m[1] - 1, key)) return m;
    return null;
  }

  private static boolean is(byte[] b, int from, int to, String ascii) {
    if (to - from != ascii.length()) return false;
    for (int i = 0; i < ascii.length(); i++) if (b[from + i] != ascii.charAt(i)) return false;
    return true;
  }

  private static boolean isEmptyList(byte[] b, int from, int to) {
    return b[from] == '[' && skip(b, from + 1, to) == to - 1 && b[to - 1] == ']';
  }

  private static int skip(byte[] b, int i, int to) {
    while (i < to && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r')) i++;
    return i;
  }

  /** After the closing quote of the string opening at {@code i}; -1 if it does not close. */
  private static int endOfString(byte[] b, int i, int to) {
    for (i++; i < to; i++) {
      if (b[i] == '\\') i++;
      else if (b[i] == '"') return i + 1;
    }
    return -1;
  }

  /** After the value starting at {@code i}; -1 if it does not end. */
  private static int endOfValue(byte[] b, int i, int to) {
    if (i >= to) return -1;
    if (b[i] == '"') return endOfString(b, i, to);
    if (b[i] == '{' || b[i] == '[') {
      int depth = 0;
      for (; i < to; i++) {
        byte c = b[i];
        if (c == '"') {
          i = endOfString(b, i, to) - 1;
          if (i < 0) return -1;
        } else if (c == '{' || c == '[') {
          depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          return i + 1;
        }
      }
      return -1;
    }
    while (i < to && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\r'
        && b[i] != '\t') {
      i++;
    }
    return i;
  }

  private static int indexOf(byte[] b, String ascii, int from) {
    outer:
    for (int i = from; i <= b.length - ascii.length(); i++) {
      for (int j = 0; j < ascii.length(); j++) if (b[i + j] != ascii.charAt(j)) continue outer;
      return i;
    }
    return -1;
  }

  /** A stream of events read whole, each given on as {@link #unasked(byte[])} makes it. */
  private static final class Unasked extends InputStream {
    private final InputStream in;
    private final byte[] chunk = new byte[8192];
    /** Read, not yet a whole event. */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private byte[] ready = new byte[0];
    private int at;
    private boolean ended;

    Unasked(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) return 0;
      while (at == ready.length) {
        if (ended) return -1;
        fill();
      }
      int n = Math.min(len, ready.length - at);
      System.arraycopy(ready, at, b, off, n);
      at += n;
      return n;
    }

    /** Reads until at least one whole event (or the end) is there, and readies it. */
    private void fill() throws IOException {
      int n = in.read(chunk);
      if (n < 0) {
        ended = true;
        ready = pending.toByteArray(); // a last event cut short goes as it is
        pending.reset();
        at = 0;
        return;
      }
      pending.write(chunk, 0, n);
      byte[] p = pending.toByteArray();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int start = 0;
      for (int end; (end = endOfEvent(p, start)) > 0; start = end) {
        out.write(unasked(Arrays.copyOfRange(p, start, end)));
      }
      pending.reset();
      pending.write(p, start, p.length - start);
      ready = out.toByteArray();
      at = 0;
    }

    /** After the blank line that ends the event starting at {@code from}; -1 if none yet. */
    private static int endOfEvent(byte[] b, int from) {
      for (int i = from; i + 1 < b.length; i++) {
        if (b[i] == '\n' && b[i + 1] == '\n') return i + 2;
        if (b[i] == '\r' && b[i + 1] == '\r') return i + 2;
        if (b[i] == '\r' && b[i + 1] == '\n' && i + 3 < b.length && b[i + 2] == '\r' && b[i + 3] == '\n') return i + 4;
      }
      return -1;
    }

    @Override
    public int available() throws IOException {
      return ready.length - at;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
