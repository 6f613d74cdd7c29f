package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.weft.server.request.ApiError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Weave's query language ({@code {"$expr": …}}), evaluated against a call's JSON. Conversions
 * and comparisons between incompatible types are false, never errors, as in Weave.
 */
public interface Expr {
  /** The value of this expression for a call; a missing field is {@link MissingNode}. */
  JsonNode eval(JsonNode call);

  default boolean test(JsonNode call) {
    JsonNode v = eval(call);
    return v.isBoolean() && v.booleanValue();
  }

  static Expr parse(JsonNode node) {
    if (node == null || !node.isObject() || node.size() != 1) {
      throw ApiError.invalid("query: expected an object with one operator, got " + node);
    }
    Map.Entry<String, JsonNode> op = node.fields().next();
    JsonNode arg = op.getValue();
    switch (op.getKey()) {
      case "$literal":
        return call -> arg;
      case "$getField": {
        if (!arg.isTextual()) throw ApiError.invalid("$getField: expected a dotted path");
        String[] path = arg.asText().split("\\.");
        return call -> get(call, path);
      }
      case "$convert": {
        Expr input = parse(required(arg, "input"));
        String to = required(arg, "to").asText();
        return call -> convert(input.eval(call), to);
      }
      case "$and": {
        List<Expr> all = list(arg, "$and");
        return call -> BooleanNode.valueOf(all.stream().allMatch(e -> e.test(call)));
      }
      case "$or": {
        List<Expr> any = list(arg, "$or");
        return call -> BooleanNode.valueOf(any.stream().anyMatch(e -> e.test(call)));
      }
      case "$not": {
        List<Expr> one = list(arg, "$not");
        if (one.size() != 1) throw ApiError.invalid("$not: expected one operand");
        return call -> BooleanNode.valueOf(!one.get(0).test(call));
      }
      case "$eq": case "$gt": case "$gte": case "$lt": case "$lte": {
        List<Expr> two = list(arg, op.getKey());
        if (two.size() != 2) throw ApiError.invalid(op.getKey() + ": expected two operands");
        String name = op.getKey();
        return call -> BooleanNode.valueOf(compare(name, two.get(0).eval(call), two.get(1).eval(call)));
      }
      case "$in": {
        if (!arg.isArray() || arg.size() != 2 || !arg.get(1).isArray()) {
          throw ApiError.invalid("$in: expected [operand, [operands]]");
        }
        Expr left = parse(arg.get(0));
        List<Expr> options = list(arg.get(1), "$in");
        return call -> {
          JsonNode v = left.eval(call);
          return BooleanNode.valueOf(options.stream().anyMatch(o -> compare("$eq", v, o.eval(call))));
        };
      }
      case "$contains": {
        Expr input = parse(required(arg, "input"));
        Expr substr = parse(required(arg, "substr"));
        boolean ci = arg.path("case_insensitive").asBoolean(false);
        return call -> {
          JsonNode a = input.eval(call);
          JsonNode b = substr.eval(call);
          if (!a.isTextual() || !b.isTextual()) return BooleanNode.FALSE;
          String s = ci ? a.asText().toLowerCase(Locale.ROOT) : a.asText();
          String t = ci ? b.asText().toLowerCase(Locale.ROOT) : b.asText();
          return BooleanNode.valueOf(s.contains(t));
        };
      }
      default:
        throw ApiError.invalid("query: unknown operator " + op.getKey());
    }
  }

  private static JsonNode required(JsonNode arg, String field) {
    JsonNode v = arg == null ? null : arg.get(field);
    if (v == null) throw ApiError.invalid("query: missing " + field);
    return v;
  }

  private static List<Expr> list(JsonNode arg, String op) {
    if (arg == null || !arg.isArray()) throw ApiError.invalid(op + ": expected a list of operands");
    List<Expr> out = new ArrayList<>();
    for (Iterator<JsonNode> it = arg.elements(); it.hasNext(); ) out.add(parse(it.next()));
    return out;
  }

  /** A dotted path into a call; list elements by index ({@code inputs.list.0}). */
  static JsonNode get(JsonNode node, String[] path) {
    JsonNode cur = node;
    for (String p : path) {
      if (cur == null || cur.isMissingNode()) return MissingNode.getInstance();
      if (cur.isArray()) {
        try {
          cur = cur.get(Integer.parseInt(p));
        } catch (NumberFormatException e) {
          return MissingNode.getInstance();
        }
      } else {
        cur = cur.get(p);
      }
    }
    return cur == null ? MissingNode.getInstance() : cur;
  }

  private static JsonNode convert(JsonNode v, String to) {
    switch (to) {
      case "exists":
        return BooleanNode.valueOf(!v.isMissingNode() && !v.isNull());
      case "string":
        if (v.isMissingNode() || v.isNull()) return MissingNode.getInstance();
        return TextNode.valueOf(v.isValueNode() ? v.asText() : v.toString());
      case "double":
        if (v.isNumber()) return DoubleNode.valueOf(v.asDouble());
        if (v.isTextual()) {
          try {
            return DoubleNode.valueOf(Double.parseDouble(v.asText().trim()));
          } catch (NumberFormatException e) {
            return MissingNode.getInstance();
          }
        }
        return MissingNode.getInstance();
      case "int":
        if (v.isNumber()) return LongNode.valueOf(v.asLong());
        if (v.isTextual()) {
          try {
            return LongNode.valueOf(Long.parseLong(v.asText().trim()));
          } catch (NumberFormatException e) {
            try {
              return LongNode.valueOf((long) Double.parseDouble(v.asText().trim()));
            } catch (NumberFormatException e2) {
              return MissingNode.getInstance();
            }
          }
        }
        return MissingNode.getInstance();
      case "bool":
        if (v.isBoolean()) return v;
        if (v.isNumber()) return BooleanNode.valueOf(v.asDouble() != 0);
        if (v.isTextual()) return BooleanNode.valueOf(v.asText().equalsIgnoreCase("true"));
        return MissingNode.getInstance();
      default:
        throw ApiError.invalid("$convert: unknown type " + to);
    }
  }

  private static boolean compare(String op, JsonNode a, JsonNode b) {
    if (a.isMissingNode() || b.isMissingNode()) return false;
    int c;
    if (a.isNumber() && b.isNumber()) {
      c = Double.compare(a.asDouble(), b.asDouble());
    } else if (a.isTextual() && b.isTextual()) {
      c = a.asText().compareTo(b.asText());
    } else if (a.isBoolean() && b.isBoolean()) {
      c = Boolean.compare(a.asBoolean(), b.asBoolean());
    } else if (a.isNull() && b.isNull()) {
      c = 0;
    } else if (op.equals("$eq") && a.getNodeType() == b.getNodeType()) {
      return a.equals(b);
    } else {
      return false;
    }
    switch (op) {
      case "$eq": return c == 0;
      case "$gt": return c > 0;
      case "$gte": return c >= 0;
      case "$lt": return c < 0;
      default: return c <= 0;
    }
  }
}
