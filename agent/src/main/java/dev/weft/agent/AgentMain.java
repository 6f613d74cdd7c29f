package dev.weft.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for
 * runtime attach, and {@code main} for the command line ({@code attach <pid>}).
 *
 * <p>It does one thing: make sure the agent jar is on the bootstrap class path, so the code
 * woven into classes of any class loader can see the agent, then start {@link Agent} from there.
 * It must not touch any other agent class directly.
 *
 * <p>The jar's manifest names itself in {@code Boot-Class-Path}, which the JVM reads before it
 * maps its class-data sharing archive: so the archive stays in use and the JVM prints nothing.
 * Added later, at run time, the JVM gives up sharing for other loaders' classes and says so on
 * stderr ("Sharing is only supported for boot loader classes…"). That later way is only the
 * fallback, for a jar renamed from {@code weft-agent.jar} (the manifest names it by that name) and
 * for attaching to a running JVM.
 */
public final class AgentMain {
  private AgentMain() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst, true);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst, false);
  }

  private static void start(String args, Instrumentation inst, boolean atLaunch) {
    try {
      File jar = ownJar();
      if (!onBootClassPath(jar)) inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      Class.forName("dev.weft.agent.Agent", true, null)
          .getMethod("start", String.class, Instrumentation.class, File.class, boolean.class)
          .invoke(null, args, inst, jar, atLaunch);
    } catch (Throwable t) {
      System.err.println("[weft] warn: the agent could not start, the app runs untraced: " + t);
    }
  }

  /** The agent jar: where this class was read from (a boot class has no code source, so by its resource). */
  static File ownJar() throws Exception {
    java.net.URL self = AgentMain.class.getResource("AgentMain.class");
    String path = self.getPath(); // file:/…/weft-agent.jar!/dev/weft/agent/AgentMain.class
    return new File(new java.net.URI(path.substring(0, path.indexOf("!/"))));
  }

  /** Whether the boot class path holds this very jar already (from the manifest). */
  private static boolean onBootClassPath(File jar) throws Exception {
    Class<?> boot;
    try {
      boot = Class.forName("dev.weft.agent.Agent", false, null);
    } catch (ClassNotFoundException e) {
      return false;
    }
    java.net.URL where = boot.getResource("Agent.class");
    String path = where == null ? "" : where.getPath();
    return path.contains("!/")
        && new File(new java.net.URI(path.substring(0, path.indexOf("!/")))).getCanonicalFile().equals(jar.getCanonicalFile());
  }

  public static void main(String[] args) {
    System.exit(Cli.run(args, System.out, System.err));
  }
}
