package dev.weft.agent.run;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a run ran: JVM, OS, host, CPUs and memory, and the git commit, branch and dirty state
 * when the working directory is inside a checkout. Read on the export thread, never the app's.
 */
public final class Environment {
  private Environment() {}

  public static Map<String, Object> describe() {
    Map<String, Object> env = new LinkedHashMap<>();
    env.put("java_version", System.getProperty("java.version"));
    env.put("java_vendor", System.getProperty("java.vendor"));
    env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    env.put("arch", System.getProperty("os.arch"));
    env.put("host", hostName());
    env.put("cpus", Runtime.getRuntime().availableProcessors());
    env.put("max_memory_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    env.put("pid", ProcessHandle.current().pid());
    env.put("command", System.getProperty("sun.java.command", ""));
    env.put("cwd", new File("").getAbsolutePath());
    try {
      env.put("jvm_args", ManagementFactory.getRuntimeMXBean().getInputArguments().toString());
    } catch (Throwable t) {
      // no management module: leave it out
    }
    Map<String, Object> git = git();
    if (git != null) env.put("git", git);
    return env;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      String h = System.getenv("HOSTNAME");
      return h == null ? "unknown" : h;
    }
  }

  /** Commit, branch and dirty state from the git command, or null outside a checkout. */
  static Map<String, Object> git() {
    String commit = run("git", "rev-parse", "HEAD");
    if (commit == null || commit.isEmpty()) return null;
    Map<String, Object> git = new LinkedHashMap<>();
    git.put("commit", commit);
    String branch = run("git", "rev-parse", "--abbrev-ref", "HEAD");
    if (branch != null) git.put("branch", branch);
    String status = run("git", "status", "--porcelain", "--untracked-files=no");
    if (status != null) git.put("dirty", !status.isEmpty());
    String remote = run("git", "config", "--get", "remote.origin.url");
    if (remote != null && !remote.isEmpty()) git.put("remote", remote.replaceAll("//[^/@]*@", "//"));
    return git;
  }

  private static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
    } catch (Exception e) {
      return null;
    }
  }
}
