package dev.weft.eval;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

/** A row's columns: a map's entries or a record's components. */
final class Rows {
  private Rows() {}

  /** The row's columns by name, in order; null when the row is neither a map nor a record. */
  static Map<String, Object> columns(Object row) {
    if (row instanceof Map) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : ((Map<?, ?>) row).entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
      return out;
    }
    if (row != null && isRecord(row.getClass())) {
      try {
        // Reflectively: this jar compiles for Java 11, which has no records.
        Object[] components = (Object[]) Class.class.getMethod("getRecordComponents").invoke(row.getClass());
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object c : components) {
          String name = (String) c.getClass().getMethod("getName").invoke(c);
          Method accessor = (Method) c.getClass().getMethod("getAccessor").invoke(c);
          accessor.setAccessible(true);
          out.put(name, accessor.invoke(row));
        }
        return out;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean isRecord(Class<?> c) {
    return c.getSuperclass() != null && c.getSuperclass().getName().equals("java.lang.Record");
  }

  /** Why a row cannot be evaluated, for the error recorded on its call. */
  static String notARow(Object row, int index) {
    return "row " + index + " is " + (row == null ? "null" : "a " + row.getClass().getName())
        + "; a row must be a Map or a record";
  }

  /** A name as a Weave object id: whitespace runs become '-', other characters outside [A-Za-z0-9._-] '_'. */
  static String objectId(String name) {
    String id = name.trim().replaceAll("\\s+", "-").replaceAll("[^A-Za-z0-9._-]", "_");
    return id.isEmpty() ? "_" : id.length() > 128 ? id.substring(0, 128) : id;
  }
}
