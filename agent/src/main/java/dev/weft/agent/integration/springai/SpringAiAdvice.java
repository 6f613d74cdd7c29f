package dev.weft.agent.integration.springai;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.weft.agent.integration.LibraryAdvice;
import dev.weft.agent.integration.ModelAdvice;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring AI (1.1 and 2.0), at the seams of its public API, so they hold for any provider and
 * across versions: a {@code ChatModel}'s {@code call(Prompt)} and {@code stream(Prompt)}, and the
 * advisor chain every {@code ChatClient} request goes through ({@code nextCall},
 * {@code nextStream}: the outermost one is the chat client's call). The run-time half is
 * {@code SpringAiModels} in {@code src/integration/java}.
 */
public final class SpringAiAdvice {
  static final String CHAT_MODEL = "org.springframework.ai.chat.model.ChatModel";
  static final String PROMPT = "org.springframework.ai.chat.prompt.Prompt";
  static final String ADVISORS = "org.springframework.ai.chat.client.advisor.api.";
  static final String CLIENT_REQUEST = "org.springframework.ai.chat.client.ChatClientRequest";

  private SpringAiAdvice() {}

  public static LibraryAdvice of() {
    ElementMatcher.Junction<TypeDescription> models = not(isInterface()).and(hasSuperType(named(CHAT_MODEL)));
    ElementMatcher.Junction<TypeDescription> chains = not(isInterface())
        .and(hasSuperType(named(ADVISORS + "CallAdvisorChain").or(named(ADVISORS + "StreamAdvisorChain"))));
    return new LibraryAdvice("spring_ai",
        List.of(CHAT_MODEL.replace('.', '/'), (ADVISORS + "CallAdvisorChain").replace('.', '/'),
            (ADVISORS + "StreamAdvisorChain").replace('.', '/')),
        models.or(chains),
        List.of(
            new LibraryAdvice.Advised(isDeclaredBy(models).and(namedOneOf("call", "stream")).and(not(isAbstract()))
                .and(takesArguments(1)).and(takesArgument(0, named(PROMPT))), ModelAdvice.class),
            new LibraryAdvice.Advised(isDeclaredBy(chains).and(namedOneOf("nextCall", "nextStream"))
                .and(not(isAbstract())).and(takesArguments(1)).and(takesArgument(0, named(CLIENT_REQUEST))),
                ModelAdvice.class)));
  }
}
