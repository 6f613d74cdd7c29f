package dev.weft.agent.weave;

import dev.weft.agent.base.Log;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Methods traced without an annotation, from {@code weft.methods=pkg.Class[m1,m2];pkg.Other[*]}.
 * A listed method name covers all its overloads; {@code [*]} selects the type's public methods as
 * a type-level {@code @Traced} does.
 */
final class MethodSelection {
  static final String ALL = "*";
  private final Map<String, Set<String>> byClass;

  private MethodSelection(Map<String, Set<String>> byClass) {
    this.byClass = byClass;
  }

  static MethodSelection parse(String spec) {
    Map<String, Set<String>> out = new HashMap<>();
    if (spec != null) {
      for (String entry : spec.split(";")) {
        entry = entry.trim();
        if (entry.isEmpty()) continue;
        int open = entry.indexOf('[');
        if (open <= 0 || !entry.endsWith("]")) {
          Log.warn("weft.methods: ignoring '" + entry + "'; expected pkg.Class[method1,method2] or pkg.Class[*]");
          continue;
        }
        Set<String> methods = out.computeIfAbsent(entry.substring(0, open).trim(), k -> new HashSet<>());
        for (String m : entry.substring(open + 1, entry.length() - 1).split(",")) {
          if (!m.isBlank()) methods.add(m.trim());
        }
      }
    }
    return new MethodSelection(out);
  }

  Set<String> classNames() {
    return Collections.unmodifiableSet(byClass.keySet());
  }

  /** The method names selected in the class, possibly containing {@link #ALL}; empty if none. */
  Set<String> methodsOf(String className) {
    return byClass.getOrDefault(className, Set.of());
  }
}
