package dev.weft.demo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources held in strings into classes held in memory, with the JDK's own javac. */
final class InMemoryJavac {
  private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

  /** Sources that did not compile, with javac's messages. */
  static final class CompileError extends Exception {
    CompileError(String message) {
      super(message);
    }
  }

  private InMemoryJavac() {}

  static void requireJdk() {
    if (JAVAC == null) {
      throw new IllegalStateException("PatchPilot compiles code in process and needs a JDK, not a JRE: run it with a JDK's java");
    }
  }

  /** Compiles class name → source and returns a loader of the results, a child of this class's loader. */
  static ClassLoader compile(Map<String, String> sources) throws CompileError {
    requireJdk();
    Map<String, ByteArrayOutputStream> classes = new ConcurrentHashMap<>();
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
        URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) {
        return code;
      }
    }));
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    boolean ok;
    // Closed after each compile: the standard file manager holds the JDK's class files open.
    try (StandardJavaFileManager standard = JAVAC.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
      var files = new ForwardingJavaFileManager<StandardJavaFileManager>(standard) {
        @Override
        public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
            FileObject sibling) {
          return new SimpleJavaFileObject(URI.create("mem:///" + className + ".class"), kind) {
            @Override
            public OutputStream openOutputStream() {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              classes.put(className, out);
              return out;
            }
          };
        }
      };
      ok = JAVAC.getTask(null, files, diagnostics, List.of("-proc:none", "-nowarn", "-g"), null, units).call();
    } catch (java.io.IOException e) {
      throw new CompileError("javac's file manager failed: " + e.getMessage());
    }
    if (!ok) {
      StringBuilder msg = new StringBuilder();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.ERROR) continue;
        if (msg.length() > 0) msg.append('\n');
        String file = d.getSource() == null ? "" : d.getSource().getName().replace("/", "") + ":" + d.getLineNumber() + ": ";
        msg.append(file).append(d.getMessage(Locale.ROOT));
      }
      throw new CompileError(msg.toString());
    }
    Map<String, byte[]> bytes = new HashMap<>();
    classes.forEach((k, v) -> bytes.put(k, v.toByteArray()));
    return new ClassLoader(InMemoryJavac.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] b = bytes.get(name);
        if (b == null) throw new ClassNotFoundException(name);
        return defineClass(name, b, 0, b.length);
      }
    };
  }
}
