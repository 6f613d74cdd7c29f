package dev.weft.it;

import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link OpenAiIT}, with the same app on an older OpenAI Java SDK
 * ({@code openai.older.version} in the agent's pom, in place of {@code openai.version}): the
 * SDK's HTTP seam the integration reads holds across its releases.
 */
class OpenAiOlderSdkIT extends OpenAiIT {
  /** Hides OpenAiIT's, so the app runs once, on the older SDK. */
  @BeforeAll
  static void runApp() throws Exception {
    String version = System.getProperty("weft.openai.older.version", "4.13.0");
    app = new SdkAppRun(APP, "openai", KEY, LlmStub.appClasspath(AgentRun.itJar("openai-older/x").getParent()));
    run = app.run;
    llm = app.llm;
    if (!app.classpath.contains("openai-java-core-" + version + ".jar")) {
      throw new AssertionError("not on the older SDK: " + app.classpath);
    }
  }
}
