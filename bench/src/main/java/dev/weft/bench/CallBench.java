package dev.weft.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Time and allocation of one traced call, from a single app thread. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CallBench {
  private final Work work = new Work();
  private int attempt = 3;
  private String bugId = "BUG-1742";

  /** No tracing at all: the floor. */
  @Benchmark
  public int untraced() {
    return work.untraced(attempt, bugId);
  }

  /** A traced call that captures nothing: ids, clock, context, hand-off. */
  @Benchmark
  public int captureOff() {
    return work.captureOff(attempt, bugId);
  }

  /** A traced call that captures two small arguments and a small result. */
  @Benchmark
  public int captureOn() {
    return work.captureOn(attempt, bugId);
  }
}
