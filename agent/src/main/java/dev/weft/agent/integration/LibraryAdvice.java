package dev.weft.agent.integration;

import dev.weft.agent.integration.langchain4j.LangChain4jAdvice;
import dev.weft.agent.integration.springai.SpringAiAdvice;
import dev.weft.agent.integration.stainless.StainlessHttp;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * What one integration weaves into a library's classes: which types, which of their methods, with
 * which advice. Declarative, so that adding an integration is adding a folder: its instrumentation
 * and advice here, its run-time half in {@code src/integration/java}, and a line in {@link #all}.
 */
public final class LibraryAdvice {
  /** The integration's name, as {@code weft.llm.off} takes it. */
  public final String name;
  /**
   * Strings one of which a class file must hold to be looked at (a class or interface name in
   * internal form, as it appears in the constant pool): a byte search rules out most classes first.
   */
  public final List<String> needles;
  public final ElementMatcher<TypeDescription> types;
  public final List<Advised> advice;

  /** Methods and the advice class woven into them. */
  public static final class Advised {
    public final ElementMatcher<? super MethodDescription> methods;
    public final Class<?> advice;

    public Advised(ElementMatcher<? super MethodDescription> methods, Class<?> advice) {
      this.methods = methods;
      this.advice = advice;
    }
  }

  /** Every integration's advice: one line each. */
  public static List<LibraryAdvice> all() {
    return List.of(
        StainlessHttp.of("openai", "com.openai"),
        StainlessHttp.of("anthropic", "com.anthropic"),
        LangChain4jAdvice.of(),
        SpringAiAdvice.of());
  }

  public LibraryAdvice(String name, List<String> needles, ElementMatcher<TypeDescription> types, List<Advised> advice) {
    this.name = name;
    this.needles = needles;
    this.types = types;
    this.advice = advice;
  }
}
