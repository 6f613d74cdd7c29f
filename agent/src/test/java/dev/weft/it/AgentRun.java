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
import java.time.Duration;
import java.time.Instant;
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

  /** The test classpath and these jars of it-jars: the libraries an app needs, e.g. "reactor-core". */
  static String testClasspathWith(String... itJars) {
    StringBuilder cp = new StringBuilder(testClasspath());
    for (String name : itJars) cp.append(File.pathSeparator).append(itJar(name));
    return cp.toString();
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
  private Path jar;
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

  /** Runs {@code java -jar jar} instead of a main class on the classpath. */
  AgentRun jar(Path jar) {
    this.jar = jar;
    return this;
  }

  AgentRun withoutAgent() {
    this.withAgent = false;
    return this;
  }

  /** The command line, without the main class (in jar mode, without the app's arguments). */
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
    if (jar != null) {
      cmd.add("-jar");
      cmd.add(jar.toString());
    } else {
      cmd.add("-cp");
      cmd.add(classpath);
    }
    return cmd;
  }

  Result run(String mainClass, String... args) throws IOException, InterruptedException {
    List<String> mainAndArgs = new ArrayList<>(List.of(mainClass));
    mainAndArgs.addAll(List.of(args));
    return start(mainAndArgs.toArray(new String[0])).awaitExit();
  }

  /** Starts the JVM and returns at once: {@code args} are the main class and its arguments, or in jar mode only the arguments. */
  Running start(String... args) throws IOException {
    Path dir = TempDirs.create("weft-it");
    Path jsonl = dir.resolve("calls.jsonl");
    List<String> cmd = command(jsonl);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    Process p = pb.redirectOutput(dir.resolve("out").toFile())
        .redirectError(dir.resolve("err").toFile()).start();
    return new Running(p, cmd, dir, jsonl);
  }

  /** A JVM started by {@link #start}: an app that runs until it exits or is stopped. */
  static final class Running {
    private final Process process;
    private final List<String> cmd;
    private final Path dir;
    private final Path jsonl;

    private Running(Process process, List<String> cmd, Path dir, Path jsonl) {
      this.process = process;
      this.cmd = cmd;
      this.dir = dir;
      this.jsonl = jsonl;
    }

    /** Waits up to 60 s for a whole line of stdout starting with {@code prefix}; the rest of that line. */
    String awaitLine(String prefix) throws IOException, InterruptedException {
      for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); System.nanoTime() < deadline; ) {
        // Still being written: only lines already ended count.
        String out = new String(Files.readAllBytes(dir.resolve("out")), StandardCharsets.UTF_8);
        for (String line : out.substring(0, out.lastIndexOf('\n') + 1).split("\n")) {
          if (line.startsWith(prefix)) return line.substring(prefix.length()).trim();
        }
        if (!process.isAlive()) break;
        Thread.sleep(50);
      }
      process.destroyForcibly();
      return fail("no line starting with '" + prefix + "': " + cmd + "\nstdout:\n"
          + Files.readString(dir.resolve("out")) + "\nstderr:\n" + Files.readString(dir.resolve("err")));
    }

    /** Kills the JVM as a lost machine or {@code kill -9} does: no shutdown hook runs. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Stops the JVM as SIGTERM does, so shutdown hooks run and the agent writes what it holds. */
    Result stop() throws IOException, InterruptedException {
      process.destroy();
      return awaitExit();
    }

    Result awaitExit() throws IOException, InterruptedException {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("timed out: " + cmd + "\n" + Files.readString(dir.resolve("err")));
      }
      return new Result(process.exitValue(), Files.readString(dir.resolve("out")),
          Files.readString(dir.resolve("err")), readCalls(jsonl));
    }
  }

  /** How long a call lasted, from {@code started_at} to {@code ended_at}; fails if it has not ended. */
  static Duration duration(JsonNode call) {
    assertTrue(call.hasNonNull("ended_at"), () -> "the call has ended: " + call);
    return Duration.between(Instant.parse(call.get("started_at").asText()), Instant.parse(call.get("ended_at").asText()));
  }

  /** Fails unless the app printed {@code expected} under the agent ({@code traced}) and prints it without. */
  static void assertBehavesAsWithoutTheAgent(AgentRun app, String mainClass, Result traced, String expected)
      throws IOException, InterruptedException {
    Result plain = app.withoutAgent().run(mainClass);
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(expected, plain.stdout);
    traced.assertOk();
    assertEquals(expected, traced.stdout);
  }

  /** Fails unless the call lasted at least {@code millis}, as its work inside took that long. */
  static void assertLastsAtLeast(long millis, JsonNode call) {
    Duration d = duration(call);
    assertTrue(d.toMillis() >= millis,
        () -> call.get("op_name").asText() + " lasts until its work ends, at least " + millis + " ms: " + d);
  }

  /** A call's {@code exception}, parsed from its JSON string; fails if it has none. */
  static JsonNode exception(JsonNode call) throws IOException {
    assertTrue(call.hasNonNull("exception"), () -> "the call has an exception: " + call);
    return JSON.readTree(call.get("exception").asText());
  }

  /** {@code child} nests directly under {@code parent}, in its trace. */
  static void assertChildOf(JsonNode parent, JsonNode child) {
    assertEquals(parent.get("id").asText(), child.get("parent_id").asText(null),
        () -> child.get("op_name").asText() + " nests under " + parent.get("op_name").asText() + ": " + child);
    assertEquals(parent.get("trace_id").asText(), child.get("trace_id").asText(), "same trace");
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
