package dev.weft.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The buggy code base PatchPilot works on, shipped as resources: each unit is a class and its test class. */
final class CodeBase {
  private static final String DIR = "/patchpilot/codebase/";

  /** A class under repair and the tests that show its bug. */
  record Unit(String name, String source, String testSource) {}

  final String check = read("Check.java");
  final List<Unit> units = new ArrayList<>();

  CodeBase() {
    for (String line : read("index.txt").split("\n")) {
      String name = line.trim();
      if (name.isEmpty() || name.startsWith("#")) continue;
      units.add(new Unit(name, read(name + ".java"), read(name + "Test.java")));
    }
  }

  Unit unit(String name) {
    for (Unit u : units) if (u.name().equals(name)) return u;
    throw new IllegalArgumentException("no unit " + name);
  }

  private static String read(String file) {
    try (InputStream in = CodeBase.class.getResourceAsStream(DIR + file)) {
      if (in == null) throw new IllegalStateException("missing resource " + DIR + file);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
