package dev.weft.junit;

import dev.weft.Weft;
import dev.weft.eval.Call;
import dev.weft.eval.Evaluation;
import dev.weft.eval.EvaluationRun;
import dev.weft.eval.Prediction;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Records tests marked {@link WeftEvaluation} as Weave evaluations, through Weft's evaluation
 * API ({@code dev.weft.eval}); under the Weft agent they reach the trace server, without it
 * nothing is recorded and the tests run as ever.
 *
 * <p>Each invocation of a parameterized test is a prediction: its arguments, by parameter name,
 * are the row; the test body is the model's call, so traced code it runs nests there, and what
 * it gives {@code Scores.output} is the output; its outcome is the score {@code passed}, after
 * the scores it adds with {@code Scores.add}. A failing test is a prediction whose
 * {@code passed} is false, with its assertion error on the model's call: the evaluation goes
 * on, and JUnit reports the failure as usual. An aborted test (a failed assumption) scores
 * nothing.
 *
 * <p>In a marked class, every other test is a call of the run (op {@code Class.method}), and
 * after the class the run logs {@code pass_rate} (and {@code tests}, {@code tests_failed}) over
 * all its tests, so a CI run lands on the dashboard.
 */
public final class WeftExtension implements InvocationInterceptor, AfterAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(WeftExtension.class);

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> test,
      ExtensionContext context) throws Throwable {
    EvaluationRun run = run(context);
    Prediction prediction = run.predict(row(test));
    Throwable failure = null;
    try (Prediction.Scope model = prediction.modelRunning()) {
      invocation.proceed();
    } catch (Throwable t) {
      failure = t;
    }
    if (failure != null) prediction.error(failure);
    if (!isAborted(failure)) prediction.score("passed", failure == null);
    prediction.finish(); // ends a passing test's model call, with the output it gave Scores.output
    count(context, failure);
    if (failure != null) throw failure;
  }

  @Override
  public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> test,
      ExtensionContext context) throws Throwable {
    if (marked(context) == null) {
      invocation.proceed();
      return;
    }
    Method method = test.getExecutable();
    Call call = Call.open(method.getDeclaringClass().getSimpleName() + "." + method.getName(), Collections.emptyMap());
    Throwable failure = null;
    try (AutoCloseable scope = call.enter()) {
      invocation.proceed();
    } catch (Throwable t) {
      failure = t;
    }
    call.end(null, failure);
    count(context, failure);
    if (failure != null) throw failure;
  }

  @Override
  public void afterAll(ExtensionContext context) {
    Tally tally = context.getStore(NAMESPACE).get(Tally.class, Tally.class);
    if (tally == null) return;
    int passed = tally.passed.get(), failed = tally.failed.get();
    if (passed + failed == 0) return;
    Map<String, Number> metrics = new LinkedHashMap<>();
    metrics.put("pass_rate", (double) passed / (passed + failed));
    metrics.put("tests", passed + failed);
    metrics.put("tests_failed", failed);
    Weft.log(metrics);
  }

  /** The class's annotation, if the class is marked. */
  private static WeftEvaluation marked(ExtensionContext context) {
    return context.getTestClass().map(c -> c.getAnnotation(WeftEvaluation.class)).orElse(null);
  }

  /** Counts the outcome for the class's pass_rate, when the class is marked; aborted tests do not count. */
  private static void count(ExtensionContext context, Throwable failure) {
    if (marked(context) == null || isAborted(failure)) return;
    Tally tally = classContext(context).getStore(NAMESPACE).getOrComputeIfAbsent(Tally.class, k -> new Tally(), Tally.class);
    (failure == null ? tally.passed : tally.failed).incrementAndGet();
  }

  /**
   * The evaluation this invocation belongs to: its method's when the method is marked, else its
   * class's; started at the first invocation, finished when that method or class is done.
   */
  private static EvaluationRun run(ExtensionContext invocation) {
    Method method = invocation.getRequiredTestMethod();
    WeftEvaluation onMethod = method.getAnnotation(WeftEvaluation.class);
    ExtensionContext owner = onMethod != null ? invocation.getParent().orElse(invocation) : classContext(invocation);
    Class<?> testClass = invocation.getRequiredTestClass();
    WeftEvaluation mark = onMethod != null ? onMethod : testClass.getAnnotation(WeftEvaluation.class);
    String defaultName = onMethod != null ? testClass.getSimpleName() + "." + method.getName() : testClass.getSimpleName();
    String name = mark == null || mark.name().isEmpty() ? defaultName : mark.name();
    String model = mark != null && !mark.model().isEmpty() ? mark.model()
        : onMethod != null ? method.getName() : testClass.getSimpleName();
    String dataset = mark == null || mark.dataset().isEmpty() ? defaultName : mark.dataset();
    return owner.getStore(NAMESPACE).getOrComputeIfAbsent(RunResource.class,
        k -> new RunResource(Evaluation.named(name, dataset).start(model)), RunResource.class).run;
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) c = c.getParent().get();
    return c;
  }

  /** The invocation's arguments by parameter name, leaving out what JUnit itself injects (TestInfo, …). */
  private static Map<String, Object> row(ReflectiveInvocationContext<Method> test) {
    Parameter[] params = test.getExecutable().getParameters();
    List<Object> args = test.getArguments();
    Map<String, Object> row = new LinkedHashMap<>();
    for (int i = 0; i < args.size(); i++) {
      Class<?> type = i < params.length ? params[i].getType() : Object.class;
      if (type.getName().startsWith("org.junit.")) continue;
      row.put(i < params.length ? params[i].getName() : "arg" + i, args.get(i));
    }
    return row;
  }

  /** A failed assumption: opentest4j's TestAbortedException, known by name to need no dependency on it. */
  private static boolean isAborted(Throwable failure) {
    for (Class<?> c = failure == null ? null : failure.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.opentest4j.TestAbortedException")) return true;
    }
    return false;
  }

  private static final class Tally {
    final AtomicInteger passed = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
  }

  /** Finishes the evaluation when its method or class is done, as JUnit closes the store. */
  @SuppressWarnings("deprecation") // CloseableResource: how JUnit before 5.13 closes stored values; later, AutoCloseable
  private static final class RunResource implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final EvaluationRun run;

    RunResource(EvaluationRun run) {
      this.run = run;
    }

    @Override
    public void close() {
      run.finish();
    }
  }
}
