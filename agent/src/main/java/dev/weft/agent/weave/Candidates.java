package dev.weft.agent.weave;

import dev.weft.agent.base.Failures;
import java.lang.annotation.Annotation;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Which classes are worth handing to Byte Buddy at all. Most classes an app loads have nothing
 * to weave; a byte search of the class file for the trace annotations' descriptors rules them out
 * before any parsing, which keeps class loading, and so app start-up, fast.
 */
final class Candidates {
  /** JDK classes that carry calls across threads or end the JVM, and the facades, woven by name. */
  static final Set<String> BY_NAME = Set.of(
      "java.lang.Thread", "java.lang.VirtualThread", "java.util.concurrent.ThreadPoolExecutor",
      "java.util.concurrent.ScheduledThreadPoolExecutor", "java.util.concurrent.ForkJoinPool",
      "java.lang.Runtime", "dev.weft.Weft", dev.weft.agent.bootstrap.WeftBridge.EVALUATION_FACADE,
      dev.weft.agent.bootstrap.Integrations.KOTLINX_CONTEXTS);

  private final Set<String> internalNames = new HashSet<>();
  private final Set<String> binaryNames = new HashSet<>();
  private final byte[][] descriptors;

  /**
   * @param needles further strings a class file may hold to be a candidate: the library types
   *     the integrations weave (see {@code LibraryAdvice#needles})
   */
  Candidates(Set<String> selectedClasses, Set<String> annotationNames, Set<String> needles) {
    binaryNames.addAll(BY_NAME);
    binaryNames.addAll(selectedClasses);
    for (String n : binaryNames) internalNames.add(n.replace('.', '/'));
    descriptors = new byte[annotationNames.size() + needles.size()][];
    int i = 0;
    for (String n : annotationNames) descriptors[i++] = ("L" + n.replace('.', '/') + ";").getBytes(StandardCharsets.UTF_8);
    for (String n : needles) descriptors[i++] = n.getBytes(StandardCharsets.UTF_8);
  }

  /** At class-load time: by internal name and class-file bytes. */
  boolean worthWeaving(String internalName, byte[] classFile) {
    if (internalName == null || classFile == null) return false;
    if (internalNames.contains(internalName)) return true;
    for (byte[] d : descriptors) {
      if (indexOf(classFile, d) >= 0) return true;
    }
    return false;
  }

  /** Already loaded classes to retransform: by name, or by their annotations as reflection sees them. */
  Set<Class<?>> loaded(Instrumentation inst) {
    Set<Class<?>> out = new HashSet<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      try {
        if (!inst.isModifiableClass(c) || c.isArray() || c.isPrimitive()) continue;
        if (binaryNames.contains(c.getName())
            || (c.getClassLoader() != null && !isAgentClass(c.getName()) && isAnnotated(c))) {
          out.add(c);
        }
      } catch (Throwable t) { // a class whose annotations or methods cannot be resolved
        Failures.report("inspecting loaded classes", t);
      }
    }
    if (dev.weft.agent.base.Log.debugEnabled()) dev.weft.agent.base.Log.debug("loaded classes to weave: " + out);
    return out;
  }

  static boolean isAgentClass(String name) {
    return name.startsWith("dev.weft.agent.") || name.startsWith("dev.weft.shaded.");
  }

  private boolean isAnnotated(Class<?> c) {
    if (hasTraceAnnotation(c.getDeclaredAnnotations())) return true;
    for (Method m : c.getDeclaredMethods()) {
      if (hasTraceAnnotation(m.getDeclaredAnnotations())) return true;
    }
    return false;
  }

  private static boolean hasTraceAnnotation(Annotation[] annotations) {
    for (Annotation a : annotations) {
      String n = a.annotationType().getName();
      if (n.equals(TracedMethods.TRACED) || TracedMethods.WITH_SPAN.contains(n)) return true;
    }
    return false;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    byte first = needle[0];
    int last = haystack.length - needle.length;
    outer:
    for (int i = 0; i <= last; i++) {
      if (haystack[i] != first) continue;
      for (int j = 1; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    return -1;
  }

  /** Byte Buddy's transformer, consulted only for candidates. */
  static final class Filtered extends ResettableClassFileTransformer.WithDelegation {
    private final Candidates candidates;

    Filtered(ResettableClassFileTransformer delegate, Candidates candidates) {
      super(delegate);
      this.candidates = candidates;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined,
        ProtectionDomain pd, byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
      return candidates.worthWeaving(name, classFile)
          ? classFileTransformer.transform(loader, name, redefined, pd, classFile) : null;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined,
        ProtectionDomain pd, byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
      return candidates.worthWeaving(name, classFile)
          ? classFileTransformer.transform(module, loader, name, redefined, pd, classFile) : null;
    }
  }

  static List<String> annotationNames() {
    List<String> names = new java.util.ArrayList<>(TracedMethods.WITH_SPAN);
    names.add(TracedMethods.TRACED);
    return names;
  }
}
