package dev.weft.agent.integration;

import java.io.IOException;

/**
 * Loads an integration's classes beside a library's class loader: they see the library (and
 * the app's classes) through the parent, and the agent's woven-code API through the boot class
 * path, as every loader does. The integration's own classes come from the agent jar, child first.
 */
final class HelperLoader extends ClassLoader {
  private static final String OWN = "dev.weft.agent.integration.";
  private final Libraries.Classes classes;

  static {
    registerAsParallelCapable();
  }

  HelperLoader(ClassLoader parent, Libraries.Classes classes) {
    super(parent);
    this.classes = classes;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(OWN)) return super.loadClass(name, resolve);
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        byte[] bytes;
        try {
          bytes = classes.bytes(name);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
        if (bytes == null) return super.loadClass(name, resolve); // the agent's own, from the boot class path
        c = defineClass(name, bytes, 0, bytes.length);
      }
      if (resolve) resolveClass(c);
      return c;
    }
  }
}
