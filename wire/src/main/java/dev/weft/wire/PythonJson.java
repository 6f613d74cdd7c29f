package dev.weft.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * A value as Python's {@code json.dumps(val, sort_keys=True)} writes it, the text Weave digests
 * objects and table rows by (docs/weave-protocol.md, "Digests"): keys sorted at every level,
 * {@code ", "} and {@code ": "} separators, ASCII only, floats as Python's repr. The agent and the
 * server digest objects and rows by it, so both give the digests Weave's SDKs give.
 */
public final class PythonJson {
  private PythonJson() {}

  public static String of(JsonNode v) {
    StringBuilder sb = new StringBuilder();
    write(sb, v);
    return sb.toString();
  }

  private static void write(StringBuilder sb, JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      sb.append("null");
    } else if (v.isBoolean()) {
      sb.append(v.asBoolean() ? "true" : "false");
    } else if (v.isIntegralNumber()) {
      sb.append(v.bigIntegerValue());
    } else if (v.isNumber()) {
      sb.append(pythonFloat(v.doubleValue()));
    } else if (v.isTextual()) {
      string(sb, v.asText());
    } else if (v.isArray()) {
      sb.append('[');
      for (int i = 0; i < v.size(); i++) {
        if (i > 0) sb.append(", ");
        write(sb, v.get(i));
      }
      sb.append(']');
    } else {
      List<String> keys = new ArrayList<>();
      for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) keys.add(it.next());
      Collections.sort(keys); // Python sorts by code point, as compareTo does within the BMP
      sb.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) sb.append(", ");
        string(sb, keys.get(i));
        sb.append(": ");
        write(sb, v.get(keys.get(i)));
      }
      sb.append('}');
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': sb.append("\\\""); break;
        case '\\': sb.append("\\\\"); break;
        case '\n': sb.append("\\n"); break;
        case '\r': sb.append("\\r"); break;
        case '\t': sb.append("\\t"); break;
        case '\b': sb.append("\\b"); break;
        case '\f': sb.append("\\f"); break;
        default:
          if (c < 0x20 || c > 0x7e) sb.append(String.format("\\u%04x", (int) c));
          else sb.append(c);
      }
    }
    sb.append('"');
  }

  /** Python's repr of a float: shortest digits, exponent form below 1e-4 or from 1e16. */
  static String pythonFloat(double d) {
    if (Double.isNaN(d)) return "NaN";
    if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
    if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
    BigDecimal exact = new BigDecimal(Double.toString(d)).stripTrailingZeros();
    String digits = exact.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - exact.scale();
    String sign = d < 0 ? "-" : "";
    if (exponent >= -4 && exponent < 16) {
      String plain = exact.abs().toPlainString();
      return sign + (plain.contains(".") ? plain : plain + ".0");
    }
    String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
    return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
  }
}
