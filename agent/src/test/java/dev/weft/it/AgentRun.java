package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs a real JVM with {@code -javaagent:weft-agent.jar} and collects what it wrote: stdout,
 * stderr, the exit code, and the calls in the JSONL file.
 */
final class AgentRun {
  static final ObjectMapper JSON = new ObjectMapper();

  static Path agentJar() {
    return Path.of(System.getProperty("weft.agent.jar", "target/weft-agent.jar")).toAbsolutePath();
  }

  static Path itJar(String name) {
    return Path.of(System.getProperty("weft.it.jars", "target/it-jars"), name + ".jar").toAbsolutePath();
  }

  static String testClasspath() {
    return System.getProperty("weft.test.classes", "target/test-classes") + File.pathSeparator
        + System.getProperty("weft.annotations.jar", "../annotations/target/weft-annotations.jar")
        + File.pathSeparator + itJar("opentelemetry-instrumentation-annotations");
  }

  /** What a finished JVM left behind. */
  static final class Result {
    final int exitCode;
    final String stdout;
    final String stderr;
    final List<JsonNode> calls;

    Result(int exitCode, String stdout, String stderr, List<JsonNode> calls) {
      this.exitCode = exitCode;
      this.stdout = stdout;
      this.stderr = stderr;
      this.calls = calls;
    }

    Result assertOk() {
      assertEquals(0, exitCode, () -> "exit code; stderr:\n" + stderr + "\nstdout:\n" + stdout);
      assertTrue(!stderr.contains("internal failure"), () -> "agent reported a failure:\n" + stderr);
      return this;
    }

    List<JsonNode> ops(String opName) {
      return calls.stream().filter(c -> c.get("op_name").asText().equals(opName)).collect(Collectors.toList());
    }

    JsonNode one(String opName) {
      List<JsonNode> found = ops(opName);
      assertEquals(1, found.size(), () -> "calls named " + opName + " in " + opNames());
      return found.get(0);
    }

    JsonNode byId(String id) {
      return calls.stream().filter(c -> c.get("id").asText().equals(id)).findFirst()
          .orElseThrow(() -> new AssertionError("no call " + id));
    }

    List<JsonNode> childrenOf(JsonNode parent) {
      String id = parent.get("id").asText();
      return calls.stream().filter(c -> id.equals(c.get("parent_id").asText(null))).collect(Collectors.toList());
    }

    List<JsonNode> where(Predicate<JsonNode> p) {
      return calls.stream().filter(p).collect(Collectors.toList());
    }

    List<String> opNames() {
      return calls.stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList());
    }
  }

  private final List<String> jvmArgsFirst = new ArrayList<>();
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> agentArgs = new ArrayList<>();
  private String javaHome = System.getProperty("java.home");
  private String classpath = testClasspath();
  private boolean withAgent = true;
  private final java.util.Map<String, String> env = new java.util.HashMap<>();

  static AgentRun app() {
    return new AgentRun();
  }

  AgentRun agentArg(String keyValue) {
    agentArgs.add(keyValue);
    return this;
  }

  /** A JVM argument placed before Weft's -javaagent, e.g. another agent that should start first. */
  AgentRun jvmArgFirst(String arg) {
    jvmArgsFirst.add(arg);
    return this;
  }

  AgentRun jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  AgentRun javaHome(Path home) {
    this.javaHome = home.toString();
    return this;
  }

  AgentRun classpath(String cp) {
    this.classpath = cp;
    return this;
  }

  AgentRun env(String name, String value) {
    env.put(name, value);
    return this;
  }

  AgentRun withoutAgent() {
    this.withAgent = false;
    return this;
  }

  /** The command line, without the main class. */
  List<String> command(Path jsonl) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(javaHome, "bin", "java").toString());
    cmd.addAll(jvmArgsFirst);
    if (withAgent) {
      List<String> args = new ArrayList<>(List.of("exporters=jsonl", "jsonl.path=" + jsonl));
      args.addAll(agentArgs);
      cmd.add("-javaagent:" + agentJar() + "=" + String.join(",", args));
    }
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classpath);
    return cmd;
  }

  Result run(String mainClass, String... args) throws IOException, InterruptedException {
    Path dir = TempDirs.create("weft-it");
    Path jsonl = dir.resolve("calls.jsonl");
    List<String> cmd = command(jsonl);
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + cmd + "\n" + Files.readString(dir.resolve("err")));
    }
    return new Result(p.exitValue(), Files.readString(dir.resolve("out")),
        Files.readString(dir.resolve("err")), readCalls(jsonl));
  }

  static List<JsonNode> readCalls(Path jsonl) throws IOException {
    List<JsonNode> calls = new ArrayList<>();
    if (!Files.exists(jsonl)) return calls;
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) calls.add(JSON.readTree(line));
    }
    return calls;
  }
}
