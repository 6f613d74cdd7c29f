package dev.weft.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A test app that uses a provider's real SDK against an {@link LlmStub}, run once under the agent
 * (JSONL): what it printed, the calls it wrote, the model calls among them, and what the stub got.
 */
final class SdkAppRun implements AutoCloseable {
  final String app;
  final String key;
  final LlmStub stub;
  final String base;
  final AgentRun.Result run;
  final LlmCallsOf llm;
  final String classpath;
  /** What the stub got from this run (other tests run the app again). */
  final List<LlmStub.Request> sent;

  /** Runs {@code app} with the stub's base URL for {@code provider} ({@code openai} or {@code anthropic}) and {@code key}. */
  SdkAppRun(String app, String provider, String key) throws Exception {
    this(app, provider, key, LlmStub.appClasspath());
  }

  /** As above, on {@code classpath}: the test classes and an SDK's jars. */
  SdkAppRun(String app, String provider, String key, String classpath) throws Exception {
    this.app = app;
    this.key = key;
    this.classpath = classpath;
    stub = new LlmStub();
    base = provider.equals("openai") ? stub.openAiBase : stub.anthropicBase;
    run = app().run(app, base, key);
    sent = List.copyOf(stub.requests);
    llm = new LlmCallsOf(run, provider + ".");
  }

  /** The app's JVM: the test classes and the SDK's jars. */
  AgentRun app() throws Exception {
    return AgentRun.app().classpath(classpath);
  }

  /** The app printed the same without the agent, and ran clean with it. */
  void assertSameOutputWithoutTheAgent() throws Exception {
    AgentRun.Result plain = app().withoutAgent().run(app, base, key);
    assertEquals(0, plain.exitCode, plain.stderr);
    run.assertOk();
    assertEquals(plain.stdout, run.stdout);
  }

  /** The key went to the provider, and nowhere into what the agent wrote or printed. */
  void assertKeySentButNeverExported() {
    assertTrue(sent.stream().allMatch(r -> r.credentials.contains(key)), "the key was sent");
    for (JsonNode call : run.calls) assertFalse(call.toString().contains(key), () -> "the key in " + call);
    assertFalse(run.stdout.contains(key) || run.stderr.contains(key));
  }

  @Override
  public void close() {
    stub.close();
  }
}
