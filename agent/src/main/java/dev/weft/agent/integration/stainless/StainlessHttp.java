package dev.weft.agent.integration.stainless;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.integration.LibraryAdvice;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * The HTTP client of the SDKs Stainless generates, OpenAI's and Anthropic's among them: every
 * implementation of {@code <sdk>.core.http.HttpClient}, whose {@code execute} and
 * {@code executeAsync} take the request with its JSON body and give the response with its body.
 * That seam holds across SDK versions and APIs; the run-time half (per SDK, in
 * {@code src/integration/java}) keeps the bodies, and only the outermost of the SDK's layers
 * (retries over a transport) records the exchange.
 */
public final class StainlessHttp {
  private StainlessHttp() {}

  /** The instrumentation of one SDK, by its package, e.g. {@code com.openai}. */
  public static LibraryAdvice of(String integration, String sdkPackage) {
    String client = sdkPackage + ".core.http.HttpClient";
    return new LibraryAdvice(integration, List.of(client.replace('.', '/')),
        hasSuperType(named(client)).and(not(isAbstract())),
        List.of(new LibraryAdvice.Advised(named("execute").or(named("executeAsync")).and(takesArguments(2)), Execute.class)));
  }

  /** {@code execute} returns the response, {@code executeAsync} a future of it: told apart by name. */
  static final class Execute {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request) {
      Object[] traced = Integrations.httpEnter(request);
      if (traced == null) return null;
      request = traced[0];
      return traced[1];
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    static void exit(@Advice.Enter Object state, @Advice.Argument(0) Object request, @Advice.Origin("#m") String method,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
        @Advice.Thrown Throwable thrown) {
      if (state != null) response = Integrations.httpExit(state, request, response, thrown, method.equals("executeAsync"));
    }
  }
}
