package dev.weft.agent.weave;

import dev.weft.agent.base.Log;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.bootstrap.Ops;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.capture.Redaction;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.annotation.AnnotationList;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.method.ParameterList;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Decides, at weave time, which methods of a type are traced and how, and registers an
 * {@link Op} for each. Annotations are recognised by name, so the app's copy of
 * {@code dev.weft.Traced} (or OpenTelemetry's {@code @WithSpan}) is never loaded by the agent.
 */
final class TracedMethods {
  static final String TRACED = "dev.weft.Traced";
  static final String NO_CAPTURE = "dev.weft.NoCapture";
  /** Built at run time: a literal would be rewritten by the shading of OpenTelemetry. */
  static final Set<String> WITH_SPAN = Set.of(
      String.join(".", "io", "opentelemetry", "instrumentation", "annotations", "WithSpan"),
      String.join(".", "io", "opentelemetry", "extension", "annotations", "WithSpan"));

  private final MethodSelection selection;
  private final Redaction redaction;

  TracedMethods(MethodSelection selection, Redaction redaction) {
    this.selection = selection;
    this.redaction = redaction;
  }

  static boolean isTraceAnnotation(TypeDescription annotationType) {
    String name = annotationType.getName();
    return name.equals(TRACED) || WITH_SPAN.contains(name);
  }

  /** The ops for the traced methods declared in {@code type}, registering each; empty if none. */
  Map<MethodDescription, Op> plan(TypeDescription type) {
    Map<MethodDescription, Op> ops = new LinkedHashMap<>();
    AnnotationDescription typeLevel = traceAnnotation(type.getDeclaredAnnotations());
    Set<String> selected = selection.methodsOf(type.getName());
    boolean allPublic = typeLevel != null || selected.contains(MethodSelection.ALL);
    for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
      AnnotationDescription own = traceAnnotation(m.getDeclaredAnnotations());
      if (m.isConstructor() || m.isTypeInitializer()) {
        if (own != null) Log.debug("not tracing constructor of " + type.getName() + ": constructors are never traced");
        continue;
      }
      if (m.isAbstract() || m.isNative() || m.isSynthetic() || m.isBridge()) continue;
      AnnotationDescription settings = own != null ? own : typeLevel;
      boolean traced = own != null
          || selected.contains(m.getName())
          || (allPublic && m.isPublic() && !isPlumbing(m));
      if (traced) ops.put(m, register(type, m, settings, own != null));
    }
    return ops;
  }

  private Op register(TypeDescription type, MethodDescription m, AnnotationDescription settings,
      boolean onMethod) {
    boolean traced = settings != null && settings.getAnnotationType().getName().equals(TRACED);
    // A name given on a type would name every method alike: only a method's own name counts.
    String name = onMethod ? stringValue(settings, traced ? "name" : "value") : "";
    if (name.isEmpty()) name = simpleName(type) + "." + m.getName();
    boolean captureInputs = !traced || boolValue(settings, "captureInputs", true);
    boolean captureOutput = !traced || boolValue(settings, "captureOutput", true);
    boolean root = traced && boolValue(settings, "root", false);
    ParameterList<?> params = m.getParameters();
    String[] names = new String[params.size()];
    byte[] modes = new byte[params.size()];
    for (ParameterDescription p : params) {
      int i = p.getIndex();
      names[i] = p.isNamed() ? p.getName() : "arg" + i;
      boolean skip = false;
      for (AnnotationDescription a : p.getDeclaredAnnotations()) {
        if (a.getAnnotationType().getName().equals(NO_CAPTURE)) skip = true;
      }
      modes[i] = skip ? Capture.SKIP : redaction.matches(names[i]) ? Capture.REDACT : Capture.CAPTURE;
    }
    byte ends = ends(m);
    if (ends == Op.SUSPEND) modes[modes.length - 1] = Capture.SKIP; // the continuation, not an input
    String opName = name;
    return Ops.register(id -> new Op(id, opName, type.getName(), m.getName(), names, modes,
        captureInputs && params.size() > (ends == Op.SUSPEND ? 1 : 0), captureOutput, root, ends));
  }

  /**
   * How a method's call ends, from its signature, by type names only: no class of Reactor or
   * Kotlin is loaded for it. A suspend function is one whose last parameter is a
   * {@code kotlin.coroutines.Continuation} and which returns Object, as Kotlin compiles them.
   */
  static byte ends(MethodDescription m) {
    TypeDescription returned = m.getReturnType().asErasure();
    ParameterList<?> params = m.getParameters();
    if (params.size() > 0 && returned.represents(Object.class)
        && params.get(params.size() - 1).getType().asErasure().getName().equals(Integrations.KOTLIN_CONTINUATION)) {
      return Op.SUSPEND;
    }
    if (returned.isAssignableTo(CompletionStage.class)) return Op.STAGE;
    try {
      for (TypeDescription t = returned; t != null; t = t.getSuperClass() == null ? null : t.getSuperClass().asErasure()) {
        if (t.getName().equals("reactor.core.publisher.Mono") || t.getName().equals("reactor.core.publisher.Flux")) {
          return Op.PUBLISHER;
        }
      }
    } catch (RuntimeException unresolvable) {
      // a supertype the pool cannot find: not one of Reactor's publishers
    }
    return Op.RETURNS;
  }

  private static AnnotationDescription traceAnnotation(AnnotationList annotations) {
    for (AnnotationDescription a : annotations) {
      if (isTraceAnnotation(a.getAnnotationType())) return a;
    }
    return null;
  }

  /** Getters, setters and Object's methods: not traced by a type-level selection. */
  private static boolean isPlumbing(MethodDescription m) {
    String n = m.getName();
    int params = m.getParameters().size();
    boolean returnsVoid = m.getReturnType().represents(void.class);
    if (params == 0 && (n.equals("toString") || n.equals("hashCode"))) return true;
    if (params == 1 && n.equals("equals")) return true;
    if (params == 0 && !returnsVoid && isAccessorName(n, "get")) return true;
    if (params == 0 && isAccessorName(n, "is") && m.getReturnType().represents(boolean.class)) return true;
    return params == 1 && returnsVoid && isAccessorName(n, "set");
  }

  private static boolean isAccessorName(String name, String prefix) {
    return name.length() > prefix.length() && name.startsWith(prefix)
        && Character.isUpperCase(name.charAt(prefix.length()));
  }

  private static String simpleName(TypeDescription type) {
    String simple = type.getSimpleName();
    if (simple.isEmpty()) {
      String n = type.getName();
      simple = n.substring(n.lastIndexOf('.') + 1);
    }
    return simple;
  }

  private static String stringValue(AnnotationDescription a, String property) {
    try {
      Object v = a.getValue(property).resolve();
      return v instanceof String ? (String) v : "";
    } catch (RuntimeException e) {
      return "";
    }
  }

  private static boolean boolValue(AnnotationDescription a, String property, boolean fallback) {
    if (a == null) return fallback;
    try {
      Object v = a.getValue(property).resolve();
      return v instanceof Boolean ? (Boolean) v : fallback;
    } catch (RuntimeException e) {
      return fallback;
    }
  }
}
