package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The agent lives beside what the app brings: its own libraries, another agent, System.exit. */
class CompatibilityIT {

  static final String LIBS_APP = "package app;\n"
      + "import dev.weft.Traced;\n"
      + "public class Libs {\n"
      + "  @Traced public static String jackson() throws Exception {\n"
      + "    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();\n"
      + "    return m.version().toString() + \" \" + m.writeValueAsString(java.util.Map.of(\"a\", 1));\n"
      + "  }\n"
      + "  @Traced public static String okhttp() {\n"
      + "    okhttp3.OkHttpClient c = new okhttp3.OkHttpClient();\n"
      + "    okhttp3.Request r = new okhttp3.Request.Builder().url(\"http://127.0.0.1:1/x\").build();\n"
      + "    return okhttp3.OkHttpClient.class.getPackage().getName() + \" \" + r.url().port() + \" \" + (c.connectTimeoutMillis() > 0);\n"
      + "  }\n"
      + "  @Traced public static String bytebuddy() throws Exception {\n"
      + "    Class<?> t = new net.bytebuddy.ByteBuddy().subclass(Object.class)\n"
      + "        .method(net.bytebuddy.matcher.ElementMatchers.named(\"toString\"))\n"
      + "        .intercept(net.bytebuddy.implementation.FixedValue.value(\"made by the app's Byte Buddy\"))\n"
      + "        .make().load(Libs.class.getClassLoader()).getLoaded();\n"
      + "    return t.getDeclaredConstructor().newInstance().toString();\n"
      + "  }\n"
      + "  @Traced public static void main(String[] args) throws Exception {\n"
      + "    System.out.println(jackson());\n"
      + "    System.out.println(okhttp());\n"
      + "    System.out.println(bytebuddy());\n"
      + "  }\n"
      + "}\n";

  @Test
  void anAppBundlingOlderJacksonOkHttpAndByteBuddyKeepsItsOwn() throws Exception {
    String libs = Stream.of("jackson-databind", "jackson-core", "jackson-annotations", "okhttp", "okio", "byte-buddy")
        .map(n -> AgentRun.itJar(n).toString()).collect(Collectors.joining(File.pathSeparator));
    String annotations = System.getProperty("weft.annotations.jar", "../annotations/target/weft-annotations.jar");
    Path classes = Javac.compile(Map.of("app.Libs", LIBS_APP), libs + File.pathSeparator + annotations);
    String cp = classes + File.pathSeparator + libs + File.pathSeparator + annotations;

    AgentRun.Result traced = AgentRun.app().classpath(cp).run("app.Libs").assertOk();
    AgentRun.Result plain = AgentRun.app().withoutAgent().classpath(cp).run("app.Libs");
    assertEquals(plain.stdout, traced.stdout);
    assertTrue(traced.stdout.startsWith("2.9.10"), traced.stdout);
    assertTrue(traced.stdout.contains("made by the app's Byte Buddy"), traced.stdout);
    JsonNode main = traced.one("Libs.main");
    assertEquals(List.of("Libs.jackson", "Libs.okhttp", "Libs.bytebuddy"),
        traced.childrenOf(main).stream().map(c -> c.get("op_name").asText()).collect(Collectors.toList()));
  }

  @Test
  void tracesCorrectlyWithTheOpenTelemetryAgentAttachedToo() throws Exception {
    // The OpenTelemetry agent first on the command line ...
    AgentRun.Result run = AgentRun.app()
        .jvmArgFirst("-javaagent:" + AgentRun.itJar("opentelemetry-javaagent"))
        .jvmArg("-Dotel.traces.exporter=none").jvmArg("-Dotel.metrics.exporter=none")
        .jvmArg("-Dotel.logs.exporter=none")
        .agentArg("methods=dev.weft.it.apps.NestingApp$Plain[one,two]")
        .run("dev.weft.it.apps.NestingApp").assertOk();
    JsonNode root = run.one("Orchestrator.run");
    assertEquals(4, run.childrenOf(root).size());
    assertEquals(1, run.ops("legacy.span").size());
    // ... and second, with threads handing off as without it.
    AgentRun.Result handoff = AgentRun.app()
        .jvmArg("-javaagent:" + AgentRun.itJar("opentelemetry-javaagent"))
        .jvmArg("-Dotel.traces.exporter=none").jvmArg("-Dotel.metrics.exporter=none")
        .jvmArg("-Dotel.logs.exporter=none")
        .run("dev.weft.it.apps.HandoffApp", "fixed", "completable").assertOk();
    HandoffIT.assertNested(handoff, "fixed", java.util.Set.of("fixed-submit", "fixed-execute", "fixed-invokeAll"));
  }

  /**
   * On JDK 17 and on the newest JDK beside it (25 here), a start with the agent prints nothing
   * on stderr: no warning of the agent's libraries (JDK 24+ warns about sun.misc.Unsafe) and no
   * class-data-sharing line from the JVM (the jar goes on the boot class path by its manifest).
   */
  @Test
  void theAgentStartsSilentlyOnJdk17AndTheNewestJdk() throws Exception {
    java.util.List<java.nio.file.Path> jdks = new java.util.ArrayList<>(java.util.List.of(
        java.nio.file.Path.of(System.getProperty("java.home"))));
    java.nio.file.Path newest = Jdks.find(25);
    org.junit.jupiter.api.Assumptions.assumeTrue(newest != null, "no JDK 25+ found beside the default JDK");
    if (!newest.equals(jdks.get(0))) jdks.add(newest);
    try (LiveServer server = new LiveServer()) {
      for (java.nio.file.Path jdk : jdks) {
        String project = "acme/silent-" + jdks.indexOf(jdk);
        AgentRun.Result run = AgentRun.app().javaHome(jdk).agentArg("exporters=weave").agentArg("endpoint=" + server.base)
            .agentArg("project=" + project).run("dev.weft.it.apps.RunApp", "ok").assertOk();
        assertEquals("", run.stderr, "stderr on " + jdk);
        assertEquals(3, server.calls(project).size(), "traced on " + jdk);
      }
    }
  }

  @Test
  void disabledAgentWeavesNothing() throws Exception {
    AgentRun.Result run = AgentRun.app().agentArg("enabled=false").run("dev.weft.it.apps.NestingApp");
    assertEquals(0, run.exitCode, run.stderr);
    assertTrue(run.calls.isEmpty());
    assertTrue(run.stdout.startsWith("callId=null active=false"), "the facade stays a no-op");
    assertTrue(run.stderr.contains("disabled"), run.stderr);
  }

  @Test
  void systemExitMidRunKeepsEveryEndedCall() throws Exception {
    AgentRun.Result run = AgentRun.app().run("dev.weft.it.apps.ExitApp", "500", "3");
    assertEquals(3, run.exitCode, run.stderr);
    assertEquals(500, run.ops("ExitApp.step").size());
    assertFalse(run.stderr.contains("internal failure"), run.stderr);
  }
}
