package dev.weft.agent.integration;

import dev.weft.agent.base.Failures;
import dev.weft.agent.bootstrap.Integrations;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The integrations with libraries an app brings (Reactor, Kotlin coroutines), one folder each
 * under {@code src/integration/java}. They are compiled against those libraries but kept in the
 * agent jar as {@code weft-integrations/**.classdata}, so neither the boot class path nor the
 * shading of the agent's own libraries touches them; each is loaded, the first time woven code
 * needs it, by a {@link HelperLoader} beside the library's own class loader. An app without the
 * library never has a class of it loaded by the agent.
 */
public final class Libraries {
  static final String PREFIX = "weft-integrations/";
  private static final String REACTOR = "dev.weft.agent.integration.reactor.ReactorPublishers";
  private static final String KOTLIN = "dev.weft.agent.integration.kotlin.KotlinCoroutines";
  // Each AI framework in two halves, so an app with the models but not the services (LangChain4j's
  // core alone) or not the chat client (Spring AI's model alone) still gets its model calls.
  private static final String LANGCHAIN4J_MODELS = "dev.weft.agent.integration.langchain4j.LangChain4jModels";
  private static final String LANGCHAIN4J_SERVICES = "dev.weft.agent.integration.langchain4j.LangChain4jServices";
  private static final String SPRING_AI_MODELS = "dev.weft.agent.integration.springai.SpringAiModels";
  private static final String SPRING_AI_CLIENT = "dev.weft.agent.integration.springai.SpringAiClient";

  private Libraries() {}

  /** Lets woven code find the integrations, read from the agent jar. */
  public static void install(File agentJar) throws IOException {
    JarFile jar = new JarFile(agentJar); // kept open: integrations load as apps need them
    Classes classes = name -> read(jar, name);
    Integrations.set(
        new ByAnchor<>(classes, Integrations.Publishers.class, Map.of(
            "reactor.core.publisher.Mono", REACTOR, "reactor.core.publisher.Flux", REACTOR))::forClassOf,
        new ByAnchor<>(classes, Integrations.Coroutines.class, Map.of(
            Integrations.KOTLIN_CONTINUATION, KOTLIN, Integrations.KOTLIN_COROUTINE_CONTEXT, KOTLIN))::forClassOf,
        new ByAnchor<>(classes, Integrations.Http.class, Map.of(
            "com.openai.core.http.HttpRequest", "dev.weft.agent.integration.openai.OpenAiHttp",
            "com.anthropic.core.http.HttpRequest", "dev.weft.agent.integration.anthropic.AnthropicHttp"))::forClassOf);
    Integrations.setModels(new ByAnchor<>(classes, Integrations.Models.class, Map.of(
        "dev.langchain4j.model.chat.ChatModel", LANGCHAIN4J_MODELS,
        "dev.langchain4j.model.chat.StreamingChatModel", LANGCHAIN4J_MODELS,
        "dev.langchain4j.service.AiServices", LANGCHAIN4J_SERVICES,
        "dev.langchain4j.service.tool.ToolExecutor", LANGCHAIN4J_SERVICES,
        "org.springframework.ai.chat.model.ChatModel", SPRING_AI_MODELS,
        "org.springframework.ai.chat.client.advisor.api.CallAdvisorChain", SPRING_AI_CLIENT,
        "org.springframework.ai.chat.client.advisor.api.StreamAdvisorChain", SPRING_AI_CLIENT))::forClassOf);
  }

  /** A class file of an integration, by class name; null if there is none. */
  interface Classes {
    byte[] bytes(String className) throws IOException;
  }

  private static byte[] read(JarFile jar, String className) throws IOException {
    JarEntry e = jar.getJarEntry(PREFIX + className.replace('.', '/') + ".classdata");
    if (e == null) return null;
    try (InputStream in = jar.getInputStream(e)) {
      return in.readAllBytes();
    }
  }

  /**
   * Finds the integration for an object by its class: a library class among the object's
   * supertypes (an anchor) names the integration, and the class loader it is loaded beside. Both
   * lookups are cached in the classes themselves (ClassValue), so nothing here keeps an app's
   * class loader alive.
   */
  static final class ByAnchor<T> {
    private static final Object NONE = new Object();
    private final Classes classes;
    private final Class<T> api;
    /** Integration class by anchor class name; anchors with the same integration share one. */
    private final Map<String, String> implementations;
    private final ClassValue<Object> byType = new ClassValue<Object>() {
      @Override
      protected Object computeValue(Class<?> type) {
        Class<?> anchor = anchor(type);
        if (anchor == null) return NONE;
        try {
          // One integration per library loader, whichever of its anchors led here.
          return byAnchor.get(Class.forName(canonical(anchor.getName()), false, anchor.getClassLoader()));
        } catch (ClassNotFoundException | LinkageError e) {
          return NONE;
        }
      }
    };
    private final ClassValue<Object> byAnchor = new ClassValue<Object>() {
      @Override
      protected Object computeValue(Class<?> anchor) {
        String implementation = implementations.get(anchor.getName());
        try {
          HelperLoader loader = new HelperLoader(anchor.getClassLoader(), classes);
          return api.cast(loader.loadClass(implementation).getConstructor().newInstance());
        } catch (Throwable t) {
          Failures.report("loading the integration " + implementation, t);
          return NONE;
        }
      }
    };

    ByAnchor(Classes classes, Class<T> api, Map<String, String> implementations) {
      this.classes = classes;
      this.api = api;
      this.implementations = implementations;
    }

    T forClassOf(Object instance) {
      Object found = byType.get(instance.getClass());
      return found == NONE ? null : api.cast(found);
    }

    /** The first anchor, by name in sorted order, of the same integration. */
    private String canonical(String anchor) {
      String impl = implementations.get(anchor);
      return implementations.entrySet().stream().filter(e -> e.getValue().equals(impl)).map(Map.Entry::getKey)
          .sorted().findFirst().orElse(anchor);
    }

    /**
     * The first anchor class among {@code type}'s supertypes and interfaces, else among its
     * enclosing class's (an anonymous class of a library's, such as LangChain4j's AI service
     * handler); or null.
     */
    private Class<?> anchor(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        if (implementations.containsKey(c.getName())) return c;
        for (Class<?> i : c.getInterfaces()) {
          Class<?> found = anchor(i);
          if (found != null) return found;
        }
      }
      Class<?> outer;
      try {
        outer = type.getEnclosingClass();
      } catch (LinkageError e) {
        return null;
      }
      return outer == null ? null : anchor(outer);
    }
  }
}
