package dev.weft.it.apps;

import dev.weft.Traced;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Each scenario is a root call {@code Handoff.scenario} whose {@code Handoff.work} children run
 * on other threads. Arguments pick the scenarios; "leak" checks nothing carries over to later,
 * unrelated tasks on pooled threads.
 */
public class HandoffApp {

  @Traced
  static String work(String label) {
    return label + "@" + Thread.currentThread().getName();
  }

  @Traced
  static void scenario(String name) throws Exception {
    switch (name) {
      case "fixed": {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        pool.submit(() -> work("fixed-submit")).get();
        pool.execute(() -> work("fixed-execute"));
        pool.invokeAll(List.<Callable<String>>of(() -> work("fixed-invokeAll")));
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        break;
      }
      case "cached": {
        ExecutorService pool = Executors.newCachedThreadPool();
        pool.submit(() -> work("cached-submit")).get();
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        break;
      }
      case "common": {
        ForkJoinPool.commonPool().submit(() -> work("common-submit")).get();
        ForkJoinPool.commonPool().submit((Runnable) () -> work("common-submit-runnable")).get();
        CompletableFuture<Void> done = new CompletableFuture<>();
        ForkJoinPool.commonPool().execute(() -> {
          work("common-execute");
          done.complete(null);
        });
        done.get(10, TimeUnit.SECONDS);
        break;
      }
      case "completable": {
        CompletableFuture.supplyAsync(() -> work("cf-supplyAsync"))
            .thenApplyAsync(s -> work("cf-thenApplyAsync")).get();
        CompletableFuture.runAsync(() -> work("cf-runAsync")).get();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        CompletableFuture.supplyAsync(() -> work("cf-supplyAsync-pool"), pool).get();
        pool.shutdown();
        break;
      }
      case "thread": {
        Thread t = new Thread(() -> work("thread-start"));
        t.start();
        t.join();
        break;
      }
      case "scheduled": {
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(1);
        pool.schedule(() -> work("scheduled-callable"), 1, TimeUnit.MILLISECONDS).get();
        pool.schedule(() -> { work("scheduled-runnable"); }, 1, TimeUnit.MILLISECONDS).get();
        pool.shutdown();
        break;
      }
      case "virtual": {
        // Through reflection, so this compiles on JDK 17; run only on JDK 21+.
        ExecutorService pool = (ExecutorService) Executors.class
            .getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        pool.submit(() -> work("virtual-executor")).get();
        pool.shutdown();
        Method start = Thread.class.getMethod("startVirtualThread", Runnable.class);
        Thread t = (Thread) start.invoke(null, (Runnable) () -> work("virtual-start"));
        t.join();
        break;
      }
      default:
        throw new IllegalArgumentException(name);
    }
  }

  /** Pools whose threads are created inside a call, then reused for untraced submissions. */
  static ExecutorService leakPool;
  static ThreadFactory named = r -> new Thread(r, "leak-pool");

  @Traced
  static void createsWorkersInsideACall() throws Exception {
    leakPool.submit(() -> "warm-up").get();
    ForkJoinPool.commonPool().submit(() -> "warm-up").get();
    new Thread(() -> {}).start();
  }

  public static void main(String[] args) throws Exception {
    for (String name : args) {
      if (name.equals("leak")) {
        leakPool = Executors.newFixedThreadPool(1, named);
        createsWorkersInsideACall();
        // Submitted outside any call: each must be a root of its own.
        leakPool.submit(() -> work("leak-pool")).get();
        ForkJoinPool.commonPool().submit(() -> work("leak-common")).get();
        leakPool.shutdown();
      } else {
        scenario(name);
      }
    }
    System.out.println("done");
  }
}
