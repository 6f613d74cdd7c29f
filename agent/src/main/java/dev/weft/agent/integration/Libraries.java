package dev.weft.agent.integration;

import dev.weft.agent.base.Failures;
import dev.weft.agent.bootstrap.Integrations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The integrations with libraries an app brings (Reactor, Kotlin coroutines), one folder each
 * under {@code src/integration/java}. They are compiled against those libraries but kept in the
 * agent jar as {@code weft-integrations/**.classdata}, so neither the boot class path nor the
 * shading of the agent's own libraries touches them; each is loaded, the first time woven code
 * needs it, by a {@link HelperLoader} beside the library's own class loader. An app without the
 * library never has a class of it loaded by the agent.
 */
public final class Libraries {
  static final String PREFIX = "weft-integrations/";

  private Libraries() {}

  /** Lets woven code find the integrations, read from the agent jar. */
  public static void install(File agentJar) throws IOException {
    JarFile jar = new JarFile(agentJar); // kept open: integrations load as apps need them
    Classes classes = name -> read(jar, name);
    Integrations.set(
        new ByAnchor<>(classes, "dev.weft.agent.integration.reactor.ReactorPublishers", Integrations.Publishers.class,
            "reactor.core.publisher.Mono", "reactor.core.publisher.Flux")::forClassOf,
        new ByAnchor<>(classes, "dev.weft.agent.integration.kotlin.KotlinCoroutines", Integrations.Coroutines.class,
            Integrations.KOTLIN_CONTINUATION, Integrations.KOTLIN_COROUTINE_CONTEXT)::forClassOf);
  }

  /** A class file of an integration, by class name; null if there is none. */
  interface Classes {
    byte[] bytes(String className) throws IOException;
  }

  private static byte[] read(JarFile jar, String className) throws IOException {
    JarEntry e = jar.getJarEntry(PREFIX + className.replace('.', '/') + ".classdata");
    if (e == null) return null;
    try (InputStream in = jar.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /**
   * Finds the integration for an object by its class: the library's class among the object's
   * supertypes (the anchor) names the class loader the integration is loaded beside. Both
   * lookups are cached in the classes themselves (ClassValue), so nothing here keeps an app's
   * class loader alive.
   */
  static final class ByAnchor<T> {
    private final Classes classes;
    private final String implementation;
    private final Class<T> api;
    private final String[] anchors;
    private final ClassValue<Object> byType = new ClassValue<Object>() {
      @Override
      protected Object computeValue(Class<?> type) {
        Class<?> anchor = anchor(type);
        if (anchor == null) return NONE;
        try {
          // One integration per library loader, whichever of its classes led here.
          return byAnchor.get(Class.forName(anchors[0], false, anchor.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          return NONE;
        }
      }
    };
    private final ClassValue<Object> byAnchor = new ClassValue<Object>() {
      @Override
      protected Object computeValue(Class<?> anchor) {
        try {
          HelperLoader loader = new HelperLoader(anchor.getClassLoader(), classes);
          return api.cast(loader.loadClass(implementation).getConstructor().newInstance());
        } catch (Throwable t) {
          Failures.report("loading the integration " + implementation, t);
          return NONE;
        }
      }
    };
    private static final Object NONE = new Object();

    ByAnchor(Classes classes, String implementation, Class<T> api, String... anchors) {
      this.classes = classes;
      this.implementation = implementation;
      this.api = api;
      this.anchors = anchors;
    }

    T forClassOf(Object instance) {
      Object found = byType.get(instance.getClass());
      return found == NONE ? null : api.cast(found);
    }

    /** The first anchor class among {@code type}'s supertypes and interfaces, or null. */
    private Class<?> anchor(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        for (String a : anchors) {
          if (c.getName().equals(a)) return c;
        }
        for (Class<?> i : c.getInterfaces()) {
          Class<?> found = anchor(i);
          if (found != null) return found;
        }
      }
      return null;
    }
  }
}
