package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Classes from any class loader are woven; so are classes loaded before a runtime attach. */
class ClassLoaderIT {
  static final String ANNOTATIONS = System.getProperty("weft.annotations.jar",
      "../annotations/target/weft-annotations.jar");

  static String plugin(String className, String body) {
    int dot = className.lastIndexOf('.');
    return "package " + className.substring(0, dot) + ";\n"
        + "import dev.weft.Traced;\n"
        + "public class " + className.substring(dot + 1) + " implements java.util.function.Function<String, String> {\n"
        + body + "\n}\n";
  }

  @Test
  void pluginsFromChildChildFirstAndIsolatedLoadersAreWovenAndNested() throws Exception {
    // Compile-only annotation: present when compiling, absent at run time.
    Path compileOnly = Javac.compile(Map.of("ann.CompileOnly",
        "package ann; @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.CLASS)"
            + " public @interface CompileOnly {}"), ANNOTATIONS);
    String cp = ANNOTATIONS + File.pathSeparator + compileOnly;
    Path debugInfo = Javac.compile(Map.of("plug.A", plugin("plug.A",
        "@Traced @ann.CompileOnly public String apply(String input) { return \"A:\" + input; }")), cp, "-g");
    Path noDebugInfo = Javac.compile(Map.of("plug.B", plugin("plug.B",
        "@Traced public String apply(String input) { return \"B:\" + input; }")), cp, "-g:none");
    Path parameters = Javac.compile(Map.of("plug.C", plugin("plug.C",
        "@Traced public String apply(String text) { return \"C:\" + text; }")), cp, "-parameters");

    AgentRun.Result run = AgentRun.app().run("dev.weft.it.apps.LoaderApp",
        "child=" + debugInfo, "plug.A", "x",
        "childFirst=" + noDebugInfo + File.pathSeparator + ANNOTATIONS, "plug.B", "y",
        "isolated=" + parameters + File.pathSeparator + ANNOTATIONS, "plug.C", "z").assertOk();
    assertEquals("A:x\nB:y\nC:z\n", run.stdout);

    List<JsonNode> hosts = run.ops("LoaderApp.host");
    List<JsonNode> plugins = run.ops("A.apply");
    plugins.addAll(run.ops("B.apply"));
    plugins.addAll(run.ops("C.apply"));
    assertEquals(3, plugins.size(), () -> "plugin calls: " + run.opNames());
    for (int i = 0; i < 3; i++) {
      assertEquals(hosts.get(i).get("id").asText(), plugins.get(i).get("parent_id").asText());
    }
    // Parameter names: from debug info, then arg0 without it, then from -parameters.
    assertEquals("x", plugins.get(0).at("/inputs/input").asText());
    assertEquals("y", plugins.get(1).at("/inputs/arg0").asText());
    assertEquals("z", plugins.get(2).at("/inputs/text").asText());
  }

  @Test
  void runtimeAttachRetransformsLoadedClassesAndStartsTracing() throws Exception {
    Path dir = TempDirs.create("weft-attach");
    Path go = dir.resolve("go");
    Path jsonl = dir.resolve("calls.jsonl");
    List<String> cmd = AgentRun.app().withoutAgent().command(jsonl);
    cmd.add("dev.weft.it.apps.AttachApp");
    cmd.add(go.toString());
    Process app = new ProcessBuilder(cmd).redirectError(dir.resolve("err").toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream()));
    String ready = out.readLine();
    assertTrue(ready != null && ready.startsWith("ready "), () -> "app did not start: " + ready);

    List<String> attach = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
        AgentRun.agentJar().toString(), "attach", ready.substring(6),
        "exporters=jsonl", "jsonl.path=" + jsonl));
    Process cli = new ProcessBuilder(attach).redirectErrorStream(true).start();
    String cliOut = new String(cli.getInputStream().readAllBytes());
    assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, cli.exitValue(), cliOut);
    assertTrue(cliOut.contains("attached"), cliOut);

    Files.createFile(go);
    String done = out.readLine();
    assertTrue(app.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, app.exitValue(), () -> "app failed: " + read(dir.resolve("err")));
    assertTrue(done.endsWith("active true"), done);

    List<JsonNode> calls = AgentRun.readCalls(jsonl);
    List<JsonNode> steps = new ArrayList<>();
    for (JsonNode c : calls) if (c.get("op_name").asText().equals("AttachApp.step")) steps.add(c);
    assertEquals(3, steps.size(), () -> "calls after attach: " + calls);
    for (JsonNode c : calls) {
      if (c.get("op_name").asText().equals("AttachApp.nested")) {
        assertTrue(steps.stream().anyMatch(s -> s.get("id").equals(c.get("parent_id"))));
      }
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "";
    }
  }
}
