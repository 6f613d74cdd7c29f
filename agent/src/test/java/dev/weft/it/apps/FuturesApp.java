package dev.weft.it.apps;

import dev.weft.Traced;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Traced methods returning futures: the call ends when the future does. */
public class FuturesApp {
  static final CompletableFuture<String> later = new CompletableFuture<>();

  @Traced
  static CompletableFuture<String> completesLater(String q) {
    return later;
  }

  @Traced
  static CompletableFuture<Integer> fails() {
    return CompletableFuture.supplyAsync(() -> {
      sleep(50);
      throw new IllegalStateException("async boom");
    });
  }

  @Traced
  static CompletableFuture<String> cancelled() {
    return new CompletableFuture<>();
  }

  @Traced
  static CompletionStage<String> alreadyDone() {
    return CompletableFuture.completedFuture("done");
  }

  @Traced
  static CompletableFuture<String> returnsNull() {
    return null;
  }

  @Traced
  static CompletableFuture<String> withChild() {
    return CompletableFuture.supplyAsync(() -> child(7));
  }

  @Traced
  static String child(int n) {
    sleep(20);
    return "child-" + n;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public static void main(String[] args) throws Exception {
    CompletableFuture<String> f = completesLater("q1");
    if (f != later) throw new AssertionError("caller must get the same future");
    Thread.sleep(100);
    later.complete("late value");
    System.out.println(f.get());

    try {
      fails().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      System.out.println("failed: " + e.getCause().getMessage());
    }
    CompletableFuture<String> c = cancelled();
    c.cancel(true);
    try {
      c.join();
    } catch (CancellationException e) {
      System.out.println("cancelled");
    }
    System.out.println(alreadyDone().toCompletableFuture().get());
    System.out.println(returnsNull());
    System.out.println(withChild().get());
  }
}
