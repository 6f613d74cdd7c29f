package dev.weft.agent.bootstrap;

/**
 * What woven code needs from the integrations with libraries an app brings (Reactor, Kotlin
 * coroutines). Those are compiled against the libraries and loaded beside them, by class, so
 * the agent never loads a class of theirs in an app that does not use them; here are only the
 * interfaces they implement and where woven code finds them.
 */
public final class Integrations {
  /** Reactor: publishers returned by traced methods. */
  public interface Publishers {
    /**
     * {@code publisher}, made to end {@code call} at its first subscription's terminal signal
     * (complete, error or cancel), and to run that subscription in the call; null if it is none
     * of the kinds known (then the call ends now).
     */
    Object trace(Call call, Object publisher);
  }

  /** Kotlin coroutines: suspend functions. */
  public interface Coroutines {
    /** Whether {@code continuation} is {@code op}'s own state machine resuming it, not a new invocation. */
    boolean resumes(Op op, Object continuation);

    /** The call whose resumed state machine this is: the one its completion ends; or null. */
    Call callOf(Object stateMachine);

    /**
     * A continuation that ends {@code call} when resumed and then resumes {@code completion} in
     * {@code callerContext}; while it is the completion, coroutines started in the call run in it.
     */
    Object ending(Call call, Object completion, Object callerContext);

    /** A coroutine context with {@code call} in it: coroutines started with it run in the call. */
    Object withCall(Call call, Object coroutineContext);
  }

  /**
   * An SDK's HTTP client (OpenAI's and Anthropic's Java SDKs share one design): each request to
   * a model goes through it, with the wire JSON at hand.
   */
  public interface Http {
    /**
     * Before the SDK sends {@code request}: the request to send in its place (one that keeps its
     * body as it is written) and the state for {@link #exit}; null when it is not traced.
     */
    Object[] enter(Object request);

    /** After: the response to return in place of {@code response} (one that keeps its body as it is read). */
    Object exit(Object state, Object response, Throwable thrown);

    /** After an asynchronous send: the future to return in place of {@code future}. */
    Object exitAsync(Object state, Object future, Throwable thrown);
  }

  /**
   * An AI framework (LangChain4j, Spring AI): the methods woven at its seams, a model call or a
   * call around model calls (an AI service's method, a tool, a chat client), each told apart by
   * its target and name.
   */
  public interface Models {
    /**
     * Before {@code method} of {@code target} runs with {@code args}, which may be replaced in
     * place (a stream's handler, wrapped): the state for {@link #exit}; null when not traced.
     */
    Object enter(Object target, String method, Object[] args);

    /** After it returned {@code returned} or threw {@code thrown}: what it returns instead. */
    Object exit(Object state, Object returned, Throwable thrown);
  }

  /** The integration for the loader of a given class, or null where the library is not there. */
  public interface Finder<T> {
    T forClassOf(Object instance);
  }

  /*
   * Kotlin's class names, built at run time: the agent relocates its own copy of Kotlin (OkHttp's)
   * under dev.weft.shaded, and the shading would rewrite a literal "kotlin.…" to that copy.
   */
  private static final String KOTLIN = String.join("", "kot", "lin"); // even "kotlin" alone is rewritten
  public static final String KOTLIN_CONTINUATION = String.join(".", KOTLIN, "coroutines", "Continuation");
  public static final String KOTLIN_COROUTINE_CONTEXT = String.join(".", KOTLIN, "coroutines", "CoroutineContext");
  static final String KOTLIN_SINGLETONS = String.join(".", KOTLIN, "coroutines", "intrinsics", "CoroutineSingletons");
  /** kotlinx coroutines' class that makes the context of each new coroutine. */
  public static final String KOTLINX_CONTEXTS = String.join(".", KOTLIN + "x", "coroutines", "CoroutineContextKt");
  public static final String KOTLINX_SCOPE = String.join(".", KOTLIN + "x", "coroutines", "CoroutineScope");

  private static volatile Finder<Publishers> publishers = o -> null;
  private static volatile Finder<Coroutines> coroutines = o -> null;
  private static volatile Finder<Http> http = o -> null;
  private static volatile Finder<Models> models = o -> null;

  private Integrations() {}

  /** Set once by the agent at start. */
  public static void set(Finder<Publishers> p, Finder<Coroutines> c, Finder<Http> h) {
    publishers = p;
    coroutines = c;
    http = h;
  }

  /** Set once by the agent at start. */
  public static void setModels(Finder<Models> m) {
    models = m;
  }

  /** The entry of an AI framework's seam (woven); see {@link Models#enter}. */
  public static Object modelEnter(Object target, String method, Object[] args) {
    try {
      Models m = target == null ? null : models.forClassOf(target);
      return m == null ? null : m.enter(target, method, args);
    } catch (Throwable t) {
      dev.weft.agent.base.Failures.report("AI framework call entry", t);
      return null;
    }
  }

  /** The exit of an AI framework's seam (woven); returns what the method returns. */
  public static Object modelExit(Object state, Object target, Object returned, Throwable thrown) {
    try {
      Models m = models.forClassOf(target);
      return m == null ? returned : m.exit(state, returned, thrown);
    } catch (Throwable t) {
      dev.weft.agent.base.Failures.report("AI framework call exit", t);
      return returned;
    }
  }

  /** The entry of an SDK's HTTP send (woven); see {@link Http#enter}. */
  public static Object[] httpEnter(Object request) {
    try {
      Http h = request == null ? null : http.forClassOf(request);
      return h == null ? null : h.enter(request);
    } catch (Throwable t) {
      dev.weft.agent.base.Failures.report("LLM request", t);
      return null;
    }
  }

  /** The exit of an SDK's HTTP send (woven); returns what the send returns. */
  public static Object httpExit(Object state, Object request, Object response, Throwable thrown, boolean async) {
    try {
      Http h = http.forClassOf(request);
      if (h == null) return response;
      return async ? h.exitAsync(state, response, thrown) : h.exit(state, response, thrown);
    } catch (Throwable t) {
      dev.weft.agent.base.Failures.report("LLM response", t);
      return response;
    }
  }

  static Publishers publishers(Object instance) {
    return publishers.forClassOf(instance);
  }

  static Coroutines coroutines(Object instance) {
    return coroutines.forClassOf(instance);
  }
}
