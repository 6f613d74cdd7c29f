package dev.weft.agent.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.weft.agent.base.Failures;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Turns arguments and results into what a call keeps: immutable scalars as they are, anything
 * else as JSON text taken at call time. Never throws and never runs app code it cannot bound:
 * odd objects become short placeholders (see {@link Snapshot}). What it keeps, every exporter
 * reads through {@link #visit}.
 */
public final class Capture {
  /** How one parameter is captured: its value, nothing ({@code @NoCapture}), or a redaction marker. */
  public static final byte CAPTURE = 0, SKIP = 1, REDACT = 2;

  static final JsonFactory JSON = new JsonFactory();
  private static volatile Limits limits = Limits.DEFAULT;
  private static volatile Redaction redaction = new Redaction(Redaction.DEFAULT_NAMES);

  private Capture() {}

  public static void configure(Limits newLimits, Redaction newRedaction) {
    limits = newLimits;
    redaction = newRedaction;
  }

  /** The JSON factory the agent writes with. */
  public static JsonFactory jsonFactory() {
    return JSON;
  }

  /**
   * The captured arguments of a call, aligned with its parameters' {@code modes}. Written into
   * {@code args} itself: the woven code builds that array for this call alone.
   */
  public static Object[] inputs(byte[] modes, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      byte mode = i < modes.length ? modes[i] : CAPTURE;
      args[i] = mode == CAPTURE ? value(args[i]) : mode == REDACT ? Redaction.REDACTED : null;
    }
    return args;
  }

  /** One value as captured: a scalar, a (possibly cut) string, or {@link Json}. */
  public static Object value(Object v) {
    if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long
        || v instanceof Double || v instanceof Float || v instanceof Short || v instanceof Byte
        || v instanceof BigInteger || v instanceof BigDecimal) {
      return v;
    }
    if (v instanceof String) return Snapshot.cut((String) v, limits.maxString);
    if (v instanceof Enum) return ((Enum<?>) v).name();
    if (v instanceof Character) return v.toString();
    try {
      SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
      try (JsonGenerator gen = JSON.createGenerator(out)) {
        new Snapshot(gen, limits, redaction).write(v);
      }
      return new Json(out.getAndClear());
    } catch (Throwable t) {
      Failures.report("capture of " + v.getClass().getName(), t);
      return "<" + v.getClass().getName() + ">";
    }
  }

  /** Characters of text in a captured value: a string's, or JSON's; 0 for a scalar. */
  public static long chars(Object captured) {
    if (captured instanceof String) return ((String) captured).length();
    return captured instanceof Json ? ((Json) captured).text.length() : 0;
  }

  /** What an exporter does with each kind of captured value. */
  public interface Visitor<R, E extends Exception> {
    R nullValue() throws E;

    R bool(boolean b) throws E;

    R integer(long n) throws E;

    R decimal(double d) throws E;

    /** A BigInteger or BigDecimal, exactly. */
    R exact(Number n) throws E;

    R string(String s) throws E;

    /** An object, list or other value, as JSON text. */
    R json(String text) throws E;
  }

  /** The one switch over what {@link #value} keeps. */
  public static <R, E extends Exception> R visit(Object captured, Visitor<R, E> v) throws E {
    if (captured == null) return v.nullValue();
    if (captured instanceof String) return v.string((String) captured);
    if (captured instanceof Json) return v.json(((Json) captured).text);
    if (captured instanceof Boolean) return v.bool((Boolean) captured);
    if (captured instanceof Integer || captured instanceof Long || captured instanceof Short
        || captured instanceof Byte) {
      return v.integer(((Number) captured).longValue());
    }
    if (captured instanceof Double || captured instanceof Float) return v.decimal(((Number) captured).doubleValue());
    if (captured instanceof BigInteger || captured instanceof BigDecimal) return v.exact((Number) captured);
    return v.string(captured.toString());
  }

  /** Writes a captured value into a JSON record. */
  public static void write(JsonGenerator gen, Object captured) throws IOException {
    visit(captured, new JsonWriter(gen));
  }

  /** Writes captured values with a generator. */
  private static final class JsonWriter implements Visitor<Void, IOException> {
    private final JsonGenerator g;

    JsonWriter(JsonGenerator g) {
      this.g = g;
    }

    // One line each: what each kind of value is in JSON.
    @Override public Void nullValue() throws IOException { g.writeNull(); return null; }
    @Override public Void bool(boolean b) throws IOException { g.writeBoolean(b); return null; }
    @Override public Void integer(long n) throws IOException { g.writeNumber(n); return null; }
    @Override public Void decimal(double d) throws IOException { g.writeNumber(d); return null; }
    @Override public Void string(String s) throws IOException { g.writeString(s); return null; }
    @Override public Void json(String text) throws IOException { g.writeRawValue(text); return null; }

    @Override
    public Void exact(Number n) throws IOException {
      if (n instanceof BigInteger) g.writeNumber((BigInteger) n);
      else g.writeNumber((BigDecimal) n);
      return null;
    }
  }
}
