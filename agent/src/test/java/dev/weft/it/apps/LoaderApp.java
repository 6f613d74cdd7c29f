package dev.weft.it.apps;

import dev.weft.Traced;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Loads plugin classes, each implementing {@code Function<String, String>}, through different
 * class loaders and calls them inside a traced call. Args: kind=dir[:dir] pairs.
 */
public class LoaderApp {

  /** Looks in its own URLs first, then in the parent: as web containers and plugin systems do. */
  static final class ChildFirst extends URLClassLoader {
    ChildFirst(URL[] urls, ClassLoader parent) {
      super(urls, parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null && !name.startsWith("java.")) {
          try {
            c = findClass(name);
          } catch (ClassNotFoundException notHere) {
            // fall through to the parent
          }
        }
        if (c == null) c = super.loadClass(name, false);
        if (resolve) resolveClass(c);
        return c;
      }
    }
  }

  @Traced
  static String host(String kind, String className, String input) throws Exception {
    String[] parts = kind.split("=", 2);
    URL[] urls = urls(parts[1]);
    ClassLoader loader;
    switch (parts[0]) {
      case "child": loader = new URLClassLoader(urls, LoaderApp.class.getClassLoader()); break;
      case "childFirst": loader = new ChildFirst(urls, LoaderApp.class.getClassLoader()); break;
      case "isolated": loader = new URLClassLoader(urls, null); break;
      default: throw new IllegalArgumentException(kind);
    }
    @SuppressWarnings("unchecked")
    Function<String, String> plugin = (Function<String, String>)
        loader.loadClass(className).getConstructor().newInstance();
    return plugin.apply(input);
  }

  static URL[] urls(String paths) throws IOException {
    String[] p = paths.split(java.io.File.pathSeparator);
    URL[] urls = new URL[p.length];
    for (int i = 0; i < p.length; i++) urls[i] = Path.of(p[i]).toUri().toURL();
    return urls;
  }

  public static void main(String[] args) throws Exception {
    for (int i = 0; i + 2 < args.length; i += 3) {
      System.out.println(host(args[i], args[i + 1], args[i + 2]));
    }
  }
}
