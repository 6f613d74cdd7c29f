package dev.weft.bench;

import dev.weft.Traced;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.concurrent.TimeUnit;
import kotlin.coroutines.Continuation;
import kotlin.coroutines.CoroutineContext;
import kotlin.coroutines.EmptyCoroutineContext;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

/**
 * Time and allocation of one traced call that returns a Reactor Mono already complete (the call
 * and its subscription), and of one to a Kotlin suspend function that does not suspend.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReactiveBench {
  private int attempt = 3;
  private String bugId = "BUG-1742";
  /** Never resumed: the functions return without suspending. */
  private final Continuation<Integer> caller = new Continuation<Integer>() {
    @Override
    public CoroutineContext getContext() {
      return EmptyCoroutineContext.INSTANCE;
    }

    @Override
    public void resumeWith(Object result) {
      throw new IllegalStateException("not expected to suspend");
    }
  };

  @Traced
  @WithSpan
  public Mono<Integer> tracedMono(int a, String b) {
    return Mono.just(a + b.length());
  }

  public Mono<Integer> untracedMono(int a, String b) {
    return Mono.just(a + b.length());
  }

  /** The floor: the same Mono, made and subscribed to without tracing. */
  @Benchmark
  public Integer monoUntraced() {
    return untracedMono(attempt, bugId).block();
  }

  @Benchmark
  public Integer monoTraced() {
    return tracedMono(attempt, bugId).block();
  }

  @Benchmark
  public Object suspendUntraced() {
    return Suspending.INSTANCE.untraced(attempt, bugId, caller);
  }

  @Benchmark
  public Object suspendTraced() {
    return Suspending.INSTANCE.traced(attempt, bugId, caller);
  }
}
