package dev.weft.agent.bootstrap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WeavingGateTest {
  @AfterEach
  void reset() {
    WeavingGate.open();
  }

  @Test
  void aCallWaitsWhileWeavingAndGoesOnWhenItIsDone() throws Exception {
    WeavingGate.close();
    CountDownLatch passed = new CountDownLatch(1);
    Thread caller = new Thread(() -> {
      WeavingGate.pass();
      passed.countDown();
    });
    caller.start();
    assertFalse(passed.await(200, TimeUnit.MILLISECONDS), "held while weaving");
    WeavingGate.open();
    assertTrue(passed.await(5, TimeUnit.SECONDS), "let through when woven");
  }

  @Test
  void anOpenGateHoldsNothing() throws Exception {
    CountDownLatch passed = new CountDownLatch(1);
    new Thread(() -> {
      WeavingGate.pass();
      passed.countDown();
    }).start();
    assertTrue(passed.await(5, TimeUnit.SECONDS));
  }

  @Test
  void aCallIsNeverHeldPastTheLimit() throws Exception {
    WeavingGate.close();
    CountDownLatch passed = new CountDownLatch(1);
    new Thread(() -> {
      WeavingGate.await(TimeUnit.MILLISECONDS.toNanos(50));
      passed.countDown();
    }).start();
    assertTrue(passed.await(5, TimeUnit.SECONDS), "weaving that never ends does not hang the app");
  }
}
