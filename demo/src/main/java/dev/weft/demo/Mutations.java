package dev.weft.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Candidate one-line patches for each kind of bug: the edits a person would try first. */
final class Mutations {
  static final List<String> KINDS = List.of("off_by_one", "boundary", "wrong_operator", "null_handling",
      "string_format", "integer_division", "inverted_condition", "wrong_index", "operator_precedence");

  private static final String[][] RELATIONAL = {{" < ", " <= "}, {" <= ", " < "}, {" > ", " >= "}, {" >= ", " > "}};
  private static final String[][] ARITHMETIC = {{" + ", " - "}, {" - ", " + "}, {" * ", " / "}, {" / ", " * "}};
  private static final String[][] EQUALITY = {{" != ", " == "}, {" == ", " != "}};
  private static final Pattern INT = Pattern.compile("(?<![\\w.%\"])(\\d+)(?![\\w.\"])");
  private static final Pattern INDEX_ARG = Pattern.compile("(substring|charAt)\\((\\d+)");
  private static final Pattern DIVIDEND = Pattern.compile("(?<![\\w)])(\\w+) / ");
  private static final Pattern RETURN = Pattern.compile("^(\\s*)return (.+);$");
  private static final Pattern PRECEDENCE = Pattern.compile("return (\\w+) ([-+]) (\\w+) ([*/])");
  private static final Pattern SIGNATURE = Pattern.compile("^\\s*public static (\\w+) \\w+\\((.*)\\) \\{$");

  private Mutations() {}

  static List<Patch> candidates(String unit, String source, String kind) {
    String[] lines = source.split("\n", -1);
    List<Patch> out = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      String code = line.trim();
      if (code.startsWith("/") || code.startsWith("*") || code.startsWith("import ") || code.contains(" class ")) continue;
      List<String> edits = new ArrayList<>();
      switch (kind) {
        case "off_by_one" -> {
          swaps(line, RELATIONAL, edits);
          ints(line, INT, 1, edits);
        }
        case "boundary" -> swaps(line, RELATIONAL, edits);
        case "wrong_operator" -> swaps(line, ARITHMETIC, edits);
        case "null_handling" -> nullChecks(line, edits);
        case "string_format" -> replaceEach(line, "%d", "%02d", edits);
        case "integer_division" -> {
          Matcher m = DIVIDEND.matcher(line);
          while (m.find()) edits.add(line.substring(0, m.start()) + "(double) " + line.substring(m.start()));
        }
        case "inverted_condition" -> {
          Matcher m = RETURN.matcher(line);
          if (m.matches() && !m.group(2).matches("\\w+|\".*\"")) edits.add(m.group(1) + "return !(" + m.group(2) + ");");
          swaps(line, EQUALITY, edits);
        }
        case "wrong_index" -> ints(line, INDEX_ARG, 2, edits);
        case "operator_precedence" -> {
          Matcher m = PRECEDENCE.matcher(line);
          if (m.find()) edits.add(line.substring(0, m.start()) + "return (" + m.group(1) + " " + m.group(2) + " "
              + m.group(3) + ") " + m.group(4) + line.substring(m.end()));
        }
        default -> throw new IllegalArgumentException("unknown bug kind " + kind);
      }
      for (int e = 0; e < edits.size(); e++) {
        out.add(new Patch(unit + ":" + kind + ":L" + (i + 1) + "#" + e, unit, kind, i + 1, line, edits.get(e), false));
      }
    }
    return out;
  }

  private static void swaps(String line, String[][] pairs, List<String> edits) {
    for (String[] p : pairs) replaceEach(line, p[0], p[1], edits);
  }

  private static void replaceEach(String line, String from, String to, List<String> edits) {
    for (int at = line.indexOf(from); at >= 0; at = line.indexOf(from, at + 1)) {
      edits.add(line.substring(0, at) + to + line.substring(at + from.length()));
    }
  }

  /** Each integer literal (the pattern's group {@code g}) one lower and one higher. */
  private static void ints(String line, Pattern p, int g, List<String> edits) {
    Matcher m = p.matcher(line);
    while (m.find()) {
      long v = Long.parseLong(m.group(g));
      for (long w : new long[] {v - 1, v + 1}) {
        if (w >= 0) edits.add(line.substring(0, m.start(g)) + w + line.substring(m.end(g)));
      }
    }
  }

  /** On a method's first line: return early for each reference parameter that is null. */
  private static void nullChecks(String line, List<String> edits) {
    Matcher m = SIGNATURE.matcher(line);
    if (!m.matches() || m.group(2).isBlank()) return;
    String fallback = switch (m.group(1)) {
      case "String" -> "\"\"";
      case "boolean" -> "false";
      case "int", "long", "double", "float", "short", "byte", "char" -> "0";
      case "void" -> "";
      default -> "null";
    };
    String indent = line.substring(0, line.indexOf("public")) + "  ";
    for (String param : m.group(2).split(",")) {
      String[] typeAndName = param.trim().split("\\s+");
      String type = typeAndName[0];
      if (Character.isLowerCase(type.charAt(0)) && !type.endsWith("]")) continue; // a primitive is never null
      String name = typeAndName[typeAndName.length - 1];
      edits.add(line + "\n" + indent + "if (" + name + " == null) {\n" + indent + "  return"
          + (fallback.isEmpty() ? "" : " " + fallback) + ";\n" + indent + "}");
    }
  }
}
