package dev.weft.agent.bootstrap;

import dev.weft.agent.base.Failures;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;

/**
 * Calls whose end depends on an object the app may drop before it is done with: a publisher
 * nobody subscribes to, a response stream nobody reads to its end. Each such object is watched
 * through a phantom reference; when it is garbage collected, or when the JVM exits, its action
 * ends the call. Watching is one small object and a lock around a linked list.
 */
public final class Orphans {
  private static final ReferenceQueue<Object> COLLECTED = new ReferenceQueue<>();
  private static final Watch HEAD = new Watch();

  static {
    Thread reaper = new Thread(() -> {
      while (true) {
        try {
          ((Watch) COLLECTED.remove()).fire();
        } catch (InterruptedException e) {
          return;
        } catch (Throwable t) {
          Failures.report("ending a dropped call", t);
        }
      }
    }, "weft-orphans");
    reaper.setDaemon(true);
    reaper.start();
    Calls.atExit(() -> {
      List<Watch> left = new ArrayList<>();
      synchronized (HEAD) {
        for (Watch w = HEAD.next; w != HEAD; w = w.next) left.add(w);
      }
      for (Watch w : left) w.fire();
    });
  }

  private Orphans() {}

  /** Runs {@code action} once, if {@code referent} is collected or the JVM exits before {@link Watch#forget}. */
  public static Watch watch(Object referent, Runnable action) {
    Watch w = new Watch(referent, action);
    synchronized (HEAD) {
      w.next = HEAD.next;
      w.prev = HEAD;
      HEAD.next.prev = w;
      HEAD.next = w;
    }
    return w;
  }

  /** One watched object: a node of the list, until forgotten or fired. */
  public static final class Watch extends PhantomReference<Object> {
    private Watch prev = this, next = this;
    private final Runnable action;

    private Watch() {
      super(null, null);
      action = null;
    }

    private Watch(Object referent, Runnable action) {
      super(referent, COLLECTED);
      this.action = action;
    }

    /** The object was dealt with: nothing to do when it goes. Returns whether it was still watched. */
    public boolean forget() {
      synchronized (HEAD) {
        if (next == this) return false;
        prev.next = next;
        next.prev = prev;
        next = prev = this;
        return true;
      }
    }

    private void fire() {
      if (forget()) action.run();
    }
  }
}
