package dev.weft.demo;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Compiles a unit's source with its tests and runs every public static no-argument method of the test class. */
final class TestRunner {
  private static final Pattern CHECK = Pattern.compile("(?s)(.*): expected (.*) but was (.*)");
  private static final long TIMEOUT_MS = 2000; // a mutated loop may never end
  // Daemon threads: a test stuck in an endless loop is abandoned, not waited for at exit.
  private static final ExecutorService TESTS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "patchpilot-test");
    t.setDaemon(true);
    return t;
  });

  private final CodeBase codeBase;

  TestRunner(CodeBase codeBase) {
    this.codeBase = codeBase;
  }

  TestReport run(String unit, String source) {
    CodeBase.Unit u = codeBase.unit(unit);
    ClassLoader loader;
    try {
      loader = InMemoryJavac.compile(Map.of("Check", codeBase.check, unit, source, unit + "Test", u.testSource()));
    } catch (InMemoryJavac.CompileError e) {
      return new TestReport(unit, 0, 0, List.of(), e.getMessage());
    }
    Class<?> tests;
    try {
      tests = loader.loadClass(unit + "Test");
    } catch (ClassNotFoundException e) {
      return new TestReport(unit, 0, 0, List.of(), "no class " + unit + "Test");
    }
    Method[] methods = tests.getDeclaredMethods();
    Arrays.sort(methods, Comparator.comparing(Method::getName)); // declared order is not guaranteed
    int passed = 0;
    List<TestReport.Failure> failures = new ArrayList<>();
    for (Method m : methods) {
      if (!Modifier.isStatic(m.getModifiers()) || !Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 0) continue;
      TestReport.Failure failure = runOne(m);
      if (failure == null) passed++;
      else failures.add(failure);
    }
    return new TestReport(unit, passed, failures.size(), failures, null);
  }

  private static TestReport.Failure runOne(Method test) {
    Future<?> f = TESTS.submit(() -> {
      test.invoke(null);
      return null;
    });
    try {
      f.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return null;
    } catch (TimeoutException e) {
      f.cancel(true);
      return new TestReport.Failure(test.getName(), "Timeout", "did not finish in " + TIMEOUT_MS + " ms", null, null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new TestReport.Failure(test.getName(), "Interrupted", "interrupted", null, null);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof InvocationTargetException ite ? ite.getCause() : e.getCause();
      String message = String.valueOf(cause.getMessage());
      Matcher m = CHECK.matcher(message);
      boolean check = cause instanceof AssertionError && m.matches();
      return new TestReport.Failure(test.getName(), cause.getClass().getSimpleName(), message,
          check ? m.group(2) : null, check ? m.group(3) : null);
    }
  }
}
