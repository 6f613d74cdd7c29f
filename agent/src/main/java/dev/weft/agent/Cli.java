package dev.weft.agent;

import java.io.File;
import java.io.PrintStream;
import net.bytebuddy.agent.ByteBuddyAgent;

/** {@code java -jar weft-agent.jar}: attach to a running JVM, or print help. */
final class Cli {
  private Cli() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
      usage(out);
      return args.length == 0 ? 2 : 0;
    }
    if (!args[0].equals("attach")) {
      err.println("unknown command '" + args[0] + "'; run with --help");
      return 2;
    }
    if (args.length < 2 || !args[1].matches("\\d+")) {
      err.println("usage: java -jar weft-agent.jar attach <pid> [key=value ...]");
      return 2;
    }
    StringBuilder agentArgs = new StringBuilder();
    for (int i = 2; i < args.length; i++) {
      if (!args[i].contains("=")) {
        err.println("expected key=value, got '" + args[i] + "'");
        return 2;
      }
      agentArgs.append(args[i]).append('\n');
    }
    try {
      File jar = AgentMain.ownJar();
      ByteBuddyAgent.attach(jar, args[1], agentArgs.toString());
      out.println("attached Weft to JVM " + args[1]);
      return 0;
    } catch (Throwable t) {
      err.println("could not attach to JVM " + args[1] + ": " + t.getMessage());
      return 1;
    }
  }

  private static void usage(PrintStream out) {
    out.println("Weft agent: traces methods annotated @Traced into nested calls.");
    out.println();
    out.println("  java -javaagent:weft-agent.jar[=key=value,...] -jar your-app.jar");
    out.println("  java -jar weft-agent.jar attach <pid> [key=value ...]   start tracing in a running JVM");
    out.println("  java -jar weft-agent.jar --help                         this help");
    out.println();
    out.println("Settings: agent argument key=value, system property weft.<key>, or env WEFT_<KEY>.");
    for (Config.Key k : Config.keys()) {
      out.printf("  %-20s %s (default: %s)%n", k.name, k.doc, k.defaultValue.isEmpty() ? "none" : k.defaultValue);
    }
    out.printf("  %-20s %s%n", "config.<key>", "An entry of this run's config (also Weft.config(Map) in code).");
  }
}
