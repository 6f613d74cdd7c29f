package dev.weft.agent.capture;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes one object graph as JSON, within {@link Limits}: strings, collections, arrays and maps
 * are cut with a visible marker; cycles, excess depth, getters that throw and objects that
 * should not be read (threads, streams, I/O, class loaders, …) become short placeholders.
 * One instance per captured value; not thread-safe.
 */
final class Snapshot {
  static final String TRUNCATED = "<truncated>";

  private final JsonGenerator gen;
  private final Limits limits;
  private final Redaction redaction;
  /** Objects on the path from the root to the value being written, to spot cycles. */
  private final IdentityHashMap<Object, Boolean> path = new IdentityHashMap<>();
  private int depth;
  private int budget;

  Snapshot(JsonGenerator gen, Limits limits, Redaction redaction) {
    this.gen = gen;
    this.limits = limits;
    this.redaction = redaction;
    this.budget = limits.maxChars;
  }

  static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…[" + (s.length() - max) + " more chars]";
  }

  void write(Object v) throws IOException {
    if (budget <= 0) {
      gen.writeString(TRUNCATED);
      return;
    }
    if (v == null) {
      gen.writeNull();
      budget -= 4;
    } else if (v instanceof CharSequence) {
      writeString(v.toString());
    } else if (v instanceof Number) {
      writeNumber((Number) v);
    } else if (v instanceof Boolean) {
      gen.writeBoolean((Boolean) v);
      budget -= 5;
    } else if (v instanceof Character || v instanceof Enum) {
      writeString(v instanceof Enum ? ((Enum<?>) v).name() : v.toString());
    } else {
      writeObject(v);
    }
  }

  private void writeString(String s) throws IOException {
    String kept = cut(s, Math.min(limits.maxString, Math.max(budget, 0)));
    gen.writeString(kept);
    budget -= kept.length() + 2;
  }

  private void writeNumber(Number n) throws IOException {
    budget -= 8;
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte
        || n instanceof AtomicInteger || n instanceof AtomicLong) {
      gen.writeNumber(n.longValue());
    } else if (n instanceof Double || n instanceof Float) {
      gen.writeNumber(n.doubleValue());
    } else if (n instanceof BigInteger) {
      gen.writeNumber((BigInteger) n);
    } else if (n instanceof BigDecimal) {
      gen.writeNumber((BigDecimal) n);
    } else {
      writeString(String.valueOf(n));
    }
  }

  private void writeObject(Object v) throws IOException {
    Class<?> type = v.getClass();
    Shape shape = Shape.of(type);
    switch (shape.kind) {
      case TEXT:
        writeString(safeToString(v));
        return;
      case OPAQUE:
        writeString(placeholder(type));
        return;
      case CLASS:
        writeString(((Class<?>) v).getName());
        return;
      case DATE:
        writeString(dateText((Date) v));
        return;
      case OPTIONAL:
        write(((Optional<?>) v).orElse(null));
        return;
      case THROWABLE:
        writeThrowable((Throwable) v);
        return;
      default:
        break;
    }
    // Containers and beans: guard depth and cycles.
    if (path.containsKey(v)) {
      writeString("<cycle: " + type.getSimpleName() + ">");
      return;
    }
    if (depth >= limits.maxDepth) {
      writeString("<depth limit: " + type.getSimpleName() + ">");
      return;
    }
    path.put(v, Boolean.TRUE);
    depth++;
    try {
      switch (shape.kind) {
        case ARRAY:
          writeArray(v);
          break;
        case COLLECTION:
          writeCollection((Collection<?>) v);
          break;
        case MAP:
          writeMap((Map<?, ?>) v);
          break;
        default:
          writeBean(v, shape);
      }
    } finally {
      depth--;
      path.remove(v);
    }
  }

  private void writeArray(Object array) throws IOException {
    int n = Array.getLength(array);
    if (array instanceof byte[]) {
      writeString("<byte[" + n + "]>");
      return;
    }
    if (array instanceof char[]) {
      writeString(new String((char[]) array));
      return;
    }
    gen.writeStartArray();
    int written = 0;
    while (written < n && written < limits.maxItems && budget > 0) {
      write(Array.get(array, written));
      written++;
    }
    if (n > written) moreMarker(n - written);
    gen.writeEndArray();
  }

  private void writeCollection(Collection<?> c) throws IOException {
    int n = c.size();
    gen.writeStartArray();
    int written = 0;
    Iterator<?> it = c.iterator();
    while (it.hasNext() && written < limits.maxItems && budget > 0) {
      write(it.next());
      written++;
    }
    if (n > written) moreMarker(n - written);
    gen.writeEndArray();
  }

  private void writeMap(Map<?, ?> map) throws IOException {
    int n = map.size();
    gen.writeStartObject();
    int written = 0;
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (written >= limits.maxItems || budget <= 0) break;
      String key = cut(String.valueOf(e.getKey()), 200);
      gen.writeFieldName(key);
      budget -= key.length() + 3;
      if (redaction.matches(key)) {
        gen.writeString(Redaction.REDACTED);
      } else {
        write(e.getValue());
      }
      written++;
    }
    if (n > written) {
      gen.writeFieldName("…");
      gen.writeString("[" + (n - written) + " more]");
    }
    gen.writeEndObject();
  }

  private void writeBean(Object bean, Shape shape) throws IOException {
    gen.writeStartObject();
    for (Shape.Property p : shape.properties) {
      if (budget <= 0) {
        gen.writeFieldName("…");
        gen.writeString(TRUNCATED);
        break;
      }
      gen.writeFieldName(p.name);
      budget -= p.name.length() + 3;
      if (redaction.matches(p.name)) {
        gen.writeString(Redaction.REDACTED);
        continue;
      }
      Object value;
      try {
        value = p.get(bean);
      } catch (InvocationTargetException e) {
        writeString("<threw " + e.getCause().getClass().getName() + ">");
        continue;
      } catch (Throwable e) {
        writeString("<unreadable: " + e.getClass().getSimpleName() + ">");
        continue;
      }
      write(value);
    }
    gen.writeEndObject();
  }

  private void writeThrowable(Throwable t) throws IOException {
    gen.writeStartObject();
    gen.writeStringField("type", t.getClass().getName());
    gen.writeFieldName("message");
    writeString(String.valueOf(t.getMessage()));
    gen.writeEndObject();
  }

  private void moreMarker(int more) throws IOException {
    gen.writeString("…[" + more + " more]");
  }

  private String safeToString(Object v) {
    try {
      return String.valueOf(v);
    } catch (Throwable t) {
      return "<" + v.getClass().getName() + ": toString threw " + t.getClass().getSimpleName() + ">";
    }
  }

  private static String dateText(Date d) {
    try {
      return d.toInstant().toString();
    } catch (Throwable t) { // java.sql.Date and Time refuse toInstant()
      return d.toString();
    }
  }

  static String placeholder(Class<?> type) {
    return "<" + Shape.displayName(type) + ">";
  }
}
