package dev.weft.agent.weave;

import static net.bytebuddy.matcher.ElementMatchers.anyOf;
import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.weft.agent.base.Log;
import dev.weft.agent.base.Failures;
import dev.weft.agent.bootstrap.Handoff;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.bootstrap.WeftBridge;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.capture.Redaction;
import dev.weft.agent.integration.LibraryAdvice;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.JavaModule;

/**
 * Sets up Byte Buddy: which classes are woven and with which advice. Traced methods get
 * {@link TracedAdvice}; JDK executors and threads get {@link HandoffAdvice}; the facades,
 * {@code dev.weft.Weft} and {@code dev.weft.eval.Bridge}, get {@link FacadeAdvice}. Classes
 * already loaded are retransformed.
 */
public final class Weaver {
  private Weaver() {}

  /**
   * Installs the weaving of classes as they load, and returns the classes loaded already that
   * need weaving too, for {@link #retransform}: the caller decides when.
   */
  public static Set<Class<?>> install(Instrumentation inst, File agentJar, String methods,
      Redaction redaction) throws IOException {
    // A switch of our relocated Byte Buddy (the app's own Byte Buddy reads another name): no
    // Nexus, which we never need since class formats never change; it saves ~100 ms at start.
    System.setProperty(ByteBuddy.class.getPackage().getName() + ".nexus.disabled", "true");
    MethodSelection selection = MethodSelection.parse(methods);
    // Advice is read as class files from the agent jar: the boot loader does not hand them out.
    AdviceLoader advice = new AdviceLoader(ClassFileLocator.ForJarFile.of(agentJar));
    TracedMethods planner = new TracedMethods(selection, redaction);
    ElementMatcher.Junction<TypeDescription> traceAnnotation =
        new ElementMatcher.Junction.AbstractBase<TypeDescription>() {
          @Override
          public boolean matches(TypeDescription target) {
            return TracedMethods.isTraceAnnotation(target);
          }
        };
    ElementMatcher.Junction<TypeDescription> platform = nameStartsWith("java.")
        .or(nameStartsWith("javax.")).or(nameStartsWith("jdk.")).or(nameStartsWith("sun."))
        .or(nameStartsWith("com.sun."));

    List<LibraryAdvice> integrations = LibraryAdvice.all();
    Set<String> needles = new java.util.HashSet<>();
    for (LibraryAdvice i : integrations) needles.addAll(i.needles);
    Candidates candidates = new Candidates(selection.classNames(),
        new java.util.HashSet<>(Candidates.annotationNames()), needles);
    AgentBuilder agent = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(Set.of())) // see retransform
        .with((AgentBuilder.TransformerDecorator) t -> new Candidates.Filtered(t, candidates))
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        .with(AgentBuilder.PoolStrategy.Default.EXTENDED) // reads debug info: parameter names
        .with(new FailureListener())
        .assureReadEdgeTo(inst, Handoff.class)
        .ignore(nameStartsWith("dev.weft.agent.").or(nameStartsWith("dev.weft.shaded."))
            .or(nameStartsWith("net.bytebuddy.")).or(nameStartsWith("io.opentelemetry.javaagent."))
            .or(nameStartsWith("jdk.internal.")).or(nameStartsWith("sun.")).or(isSynthetic()))
        // Traced methods: by annotation, or listed in weft.methods.
        .type(not(platform).and(isAnnotatedWith(traceAnnotation)
            .or(declaresMethod(isAnnotatedWith(traceAnnotation)))
            .or(namedOneOf(selection.classNames().toArray(new String[0])))))
        .transform(new TracedTransformer(planner, advice))
        // The facades.
        .type(namedOneOf("dev.weft.Weft", WeftBridge.EVALUATION_FACADE))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(FacadeAdvice.Returning.class).on(isPublic().and(isStatic()).and(not(returns(void.class)))))
            .visit(advice.of(FacadeAdvice.Void.class).on(isPublic().and(isStatic()).and(returns(void.class)))))
        // Executors: tasks run in the call that submitted them; pool threads inherit nothing.
        .type(named("java.util.concurrent.ThreadPoolExecutor"))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(HandoffAdvice.WrapRunnable.class).on(named("execute").and(takesArguments(Runnable.class))))
            .visit(advice.of(HandoffAdvice.Detach.class).on(named("addWorker"))))
        .type(named("java.util.concurrent.ScheduledThreadPoolExecutor"))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(HandoffAdvice.WrapRunnable.class).on(scheduling().and(takesArgument(0, Runnable.class))))
            .visit(advice.of(HandoffAdvice.WrapCallable.class).on(scheduling().and(takesArgument(0, Callable.class)))))
        .type(named("java.util.concurrent.ForkJoinPool"))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(HandoffAdvice.WrapRunnable.class).on(namedOneOf("execute", "submit").and(takesArgument(0, Runnable.class))))
            .visit(advice.of(HandoffAdvice.WrapCallable.class).on(named("submit").and(takesArgument(0, Callable.class)))))
        // Threads, platform and virtual: a thread started in a call runs in that call.
        .type(namedOneOf("java.lang.Thread", "java.lang.VirtualThread"))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(HandoffAdvice.ThreadStart.class).on(named("start").and(not(isStatic()))))
            .visit(advice.of(HandoffAdvice.ThreadRun.class).on(named("run")
                .and(takesArguments(0).or(takesArguments(Runnable.class))).and(not(isStatic()))))
            .visit(advice.of(HandoffAdvice.Uncaught.class).on(named("dispatchUncaughtException")
                .and(takesArguments(Throwable.class)))))
        // Kotlin coroutines started in a call run in it (matched by name: nothing of Kotlin is loaded).
        .type(named(Integrations.KOTLINX_CONTEXTS))
        .transform((builder, type, loader, module, pd) -> builder
            .visit(advice.of(HandoffAdvice.CoroutineContext.class).on(named("newCoroutineContext")
                .and(takesArguments(2)).and(takesArgument(0, named(Integrations.KOTLINX_SCOPE))))))
        // How the JVM ends, for the run's state.
        .type(named("java.lang.Runtime"))
        .transform((b, type, loader, module, pd) -> b
            .visit(advice.of(HandoffAdvice.Exit.class).on(named("exit").and(takesArguments(int.class)))));
    // The integrations with libraries an app brings: each its types, methods and advice.
    for (LibraryAdvice i : integrations) {
      agent = agent.type(i.types).transform((b, type, loader, module, pd) -> {
        for (LibraryAdvice.Advised a : i.advice) b = b.visit(advice.of(a.advice).on(a.methods));
        return b;
      });
    }
    agent.installOn(inst);
    return candidates.loaded(inst);
  }

  /**
   * Weaves classes that were loaded before the agent, through the transformer {@link #install}
   * registered; one at a time, so one that cannot be changed does not hold back the others.
   * {@code java.lang.Runtime} goes first: the run's exit status depends on it.
   */
  public static void retransform(Instrumentation inst, Set<Class<?>> classes) {
    List<Class<?>> ordered = new ArrayList<>(classes);
    ordered.sort(java.util.Comparator.comparing((Class<?> c) -> c != Runtime.class).thenComparing(Class::getName));
    for (Class<?> c : ordered) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable t) {
        Failures.report("weaving the loaded class " + c.getName(), t);
      }
    }
  }

  private static ElementMatcher.Junction<MethodDescription> scheduling() {
    return namedOneOf("schedule", "scheduleAtFixedRate", "scheduleWithFixedDelay");
  }

  /** Weaves the traced methods of one type, each with its op id bound as a constant. */
  private static final class TracedTransformer implements AgentBuilder.Transformer {
    private final TracedMethods planner;
    private final AdviceLoader advice;

    TracedTransformer(TracedMethods planner, AdviceLoader advice) {
      this.planner = planner;
      this.advice = advice;
    }

    @Override
    public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type,
        ClassLoader loader, JavaModule module, java.security.ProtectionDomain pd) {
      try {
        Map<MethodDescription, Op> ops = planner.plan(type);
        if (ops.isEmpty()) return builder;
        Advice.WithCustomMapping mapping = Advice.withCustomMapping().bind(TracedAdvice.OpId.class,
            (instrumentedType, method, assigner, argumentHandler, sort) ->
                new Advice.OffsetMapping.Target.ForStackManipulation(
                    IntegerConstant.forValue(ops.get(method.asDefined()).id)));
        // Group methods by advice pair: inputs captured or not, output needed or not, and how the
        // call ends (returns, a publisher, a suspend function).
        Map<List<Class<?>>, List<MethodDescription>> groups = new LinkedHashMap<>();
        for (Map.Entry<MethodDescription, Op> e : ops.entrySet()) {
          groups.computeIfAbsent(advicePair(e.getValue(), e.getKey()), k -> new ArrayList<>()).add(e.getKey());
        }
        for (Map.Entry<List<Class<?>>, List<MethodDescription>> g : groups.entrySet()) {
          builder = builder.visit(advice.of(mapping, g.getKey().get(0), g.getKey().get(1)).on(anyOf(g.getValue())));
        }
        Log.debug("weaving " + ops.size() + " traced method(s) of " + type.getName());
        return builder;
      } catch (Throwable t) {
        Failures.report("weaving " + type.getName(), t);
        return builder;
      }
    }
  }

  /** The enter and exit advice for an op: what it captures, and how its call ends. */
  private static List<Class<?>> advicePair(Op op, MethodDescription m) {
    if (op.ends == Op.SUSPEND) return List.of(TracedAdvice.EnterSuspend.class, TracedAdvice.ExitSuspend.class);
    Class<?> enter = op.captureInputs ? TracedAdvice.EnterWithInputs.class : TracedAdvice.Enter.class;
    if (op.ends == Op.PUBLISHER) return List.of(enter, TracedAdvice.ExitPublisher.class);
    boolean output = (op.captureOutput || op.ends == Op.STAGE) && !m.getReturnType().represents(void.class);
    return List.of(enter, output ? TracedAdvice.ExitWithOutput.class : TracedAdvice.Exit.class);
  }

  /** Weaving errors are ours: count them, log once, leave the class as it was. */
  private static final class FailureListener extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded,
        Throwable throwable) {
      if (throwable instanceof TypePool.Resolution.NoSuchTypeException) {
        Log.debug("not weaving " + typeName + ": " + throwable.getMessage());
      } else {
        Failures.report("weaving " + typeName, throwable);
      }
    }
  }
}
