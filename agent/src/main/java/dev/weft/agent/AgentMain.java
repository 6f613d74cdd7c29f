package dev.weft.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * The agent jar's entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for
 * runtime attach, and {@code main} for the command line ({@code attach <pid>}).
 *
 * <p>This class is loaded by the system class loader and does one thing: put the agent jar on
 * the bootstrap class path, so the code woven into classes of any class loader can see the
 * agent, then start {@link Agent} from there. It must not touch any other agent class directly.
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
      inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
      Class.forName("dev.weft.agent.Agent", true, null)
          .getMethod("start", String.class, Instrumentation.class, File.class, boolean.class)
          .invoke(null, args, inst, jar, atLaunch);
    } catch (Throwable t) {
      System.err.println("[weft] warn: the agent could not start, the app runs untraced: " + t);
    }
  }

  static File ownJar() throws Exception {
    return new File(AgentMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  public static void main(String[] args) {
    System.exit(Cli.run(args, System.out, System.err));
  }
}
