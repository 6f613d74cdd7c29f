package dev.weft.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class CallIdsTest {
  private static final Op OP = new Op(0, "op", "C", "m", new String[0], new byte[0], false, false, false, Op.RETURNS);

  @Test
  void callIdsAreUniqueAcrossThreadsAndCountUpWithinOne() throws Exception {
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      done.add(pool.submit(() -> {
        long previous = new Call(OP, null, null).spanId;
        seen.add(previous);
        for (int i = 0; i < 10_000; i++) {
          Call call = new Call(OP, null, null);
          assertNotEquals(0, call.spanId, "0 is not a valid span id");
          assertTrue(Long.compareUnsigned(call.spanId, previous) > 0, "ids count up within a thread");
          assertTrue(seen.add(call.spanId), "ids are unique");
          assertEquals(16, call.id().length());
          previous = call.spanId;
        }
        return null;
      }));
    }
    for (Future<?> f : done) f.get();
    pool.shutdown();
    assertEquals(4 * 10_001, seen.size());
  }

  @Test
  void aChildSharesItsParentsTraceButNotItsId() {
    Call root = new Call(OP, null, null);
    Call child = new Call(OP, root, null);
    assertEquals(root.traceId(), child.traceId());
    assertNotEquals(root.id(), child.id());
    assertEquals(root.id(), child.parentId());
  }
}
