package dev.weft.agent.capture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import dev.weft.agent.bootstrap.Failures;
import dev.weft.agent.bootstrap.Op;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Turns arguments and results into what a call keeps: immutable scalars as they are, anything
 * else as JSON text taken at call time. Never throws and never runs app code it cannot bound:
 * odd objects become short placeholders (see {@link Snapshot}).
 */
public final class Capture {
  static final JsonFactory JSON = new JsonFactory();
  private static volatile Limits limits = Limits.DEFAULT;
  private static volatile Redaction redaction =
      new Redaction(java.util.List.of("password", "secret", "token", "api_key", "authorization"));

  private Capture() {}

  public static void configure(Limits newLimits, Redaction newRedaction) {
    limits = newLimits;
    redaction = newRedaction;
  }

  /** The JSON factory the agent writes with. */
  public static JsonFactory jsonFactory() {
    return JSON;
  }

  public static Redaction redaction() {
    return redaction;
  }

  /**
   * The captured arguments of a call to {@code op}, aligned with its parameters. Written into
   * {@code args} itself: the woven code builds that array for this call alone.
   */
  public static Object[] inputs(Op op, Object[] args) {
    for (int i = 0; i < args.length; i++) {
      byte mode = i < op.paramModes.length ? op.paramModes[i] : Op.CAPTURE;
      args[i] = mode == Op.CAPTURE ? value(args[i]) : mode == Op.REDACT ? Redaction.REDACTED : null;
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

  /** Writes a captured value (from {@link #value}) into an export record. */
  public static void write(JsonGenerator gen, Object captured) throws IOException {
    if (captured == null) {
      gen.writeNull();
    } else if (captured instanceof String) {
      gen.writeString((String) captured);
    } else if (captured instanceof Json) {
      gen.writeRawValue(((Json) captured).text);
    } else if (captured instanceof Boolean) {
      gen.writeBoolean((Boolean) captured);
    } else if (captured instanceof Integer || captured instanceof Long
        || captured instanceof Short || captured instanceof Byte) {
      gen.writeNumber(((Number) captured).longValue());
    } else if (captured instanceof Double || captured instanceof Float) {
      gen.writeNumber(((Number) captured).doubleValue());
    } else if (captured instanceof BigInteger) {
      gen.writeNumber((BigInteger) captured);
    } else if (captured instanceof BigDecimal) {
      gen.writeNumber((BigDecimal) captured);
    } else {
      gen.writeString(captured.toString());
    }
  }
}
