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

  private Integrations() {}

  /** Set once by the agent at start. */
  public static void set(Finder<Publishers> p, Finder<Coroutines> c) {
    publishers = p;
    coroutines = c;
  }

  static Publishers publishers(Object instance) {
    return publishers.forClassOf(instance);
  }

  static Coroutines coroutines(Object instance) {
    return coroutines.forClassOf(instance);
  }
}
