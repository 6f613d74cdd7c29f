package dev.weft.agent.integration.langchain4j;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
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
 * LangChain4j 1.x, at the seams its own API defines, so they hold for any provider and across
 * versions: {@code doChat}, which every {@code ChatModel} and {@code StreamingChatModel} provider
 * implements and which gets the final request (the model's defaults applied) once per model call;
 * the {@code ToolExecutor} an AI service runs each tool through; and the invocation handler of an
 * AI service's proxy. The run-time half is {@code LangChain4jModels} in {@code src/integration/java}.
 */
public final class LangChain4jAdvice {
  static final String CHAT_MODEL = "dev.langchain4j.model.chat.ChatModel";
  static final String STREAMING_CHAT_MODEL = "dev.langchain4j.model.chat.StreamingChatModel";
  static final String CHAT_REQUEST = "dev.langchain4j.model.chat.request.ChatRequest";
  static final String TOOL_EXECUTOR = "dev.langchain4j.service.tool.ToolExecutor";
  static final String TOOL_REQUEST = "dev.langchain4j.agent.tool.ToolExecutionRequest";
  static final String SERVICES = "dev.langchain4j.service.";

  private LangChain4jAdvice() {}

  public static LibraryAdvice of() {
    ElementMatcher.Junction<TypeDescription> models = not(isInterface())
        .and(hasSuperType(named(CHAT_MODEL).or(named(STREAMING_CHAT_MODEL))));
    ElementMatcher.Junction<TypeDescription> tools = hasSuperType(named(TOOL_EXECUTOR));
    // The handler of AI services' proxies (an anonymous class of DefaultAiServices today).
    ElementMatcher.Junction<TypeDescription> services = nameStartsWith(SERVICES).and(not(isInterface()))
        .and(hasSuperType(named("java.lang.reflect.InvocationHandler")));
    return new LibraryAdvice("langchain4j",
        List.of(CHAT_MODEL.replace('.', '/'), STREAMING_CHAT_MODEL.replace('.', '/'), SERVICES.replace('.', '/')),
        models.or(tools).or(services),
        List.of(
            // doChat(request) of a ChatModel, doChat(request, handler) of a StreamingChatModel.
            new LibraryAdvice.Advised(isDeclaredBy(models).and(named("doChat")).and(not(isAbstract()))
                .and(takesArgument(0, named(CHAT_REQUEST))), ModelAdvice.class),
            new LibraryAdvice.Advised(isDeclaredBy(tools).and(namedOneOf("execute", "executeWithContext"))
                .and(not(isAbstract())).and(takesArguments(2)).and(takesArgument(0, named(TOOL_REQUEST))),
                ModelAdvice.class),
            new LibraryAdvice.Advised(isDeclaredBy(services).and(named("invoke")).and(takesArguments(3))
                .and(takesArgument(1, named("java.lang.reflect.Method"))), ModelAdvice.class)));
  }
}
