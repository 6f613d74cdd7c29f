package dev.weft.it.apps;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** For the LLM test apps: work handed to a pool's threads, its answers joined in order. */
final class OnAPool {
  private OnAPool() {}

  interface Task {
    String run(String item) throws Exception;
  }

  static String each(List<String> items, Task task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> answers = new ArrayList<>();
      for (String item : items) answers.add(pool.submit((Callable<String>) () -> task.run(item)));
      List<String> out = new ArrayList<>();
      for (Future<String> a : answers) out.add(a.get(30, TimeUnit.SECONDS));
      return String.join(" | ", out);
    } finally {
      pool.shutdown();
    }
  }
}
