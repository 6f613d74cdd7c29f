package dev.weft.it.apps;

import dev.weft.NoCapture;
import dev.weft.Traced;
import dev.weft.Weft;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import java.util.List;
import java.util.Map;

/** Nested calls, inputs and outputs, errors, annotation options and the Weft facade. */
public class NestingApp {

  public static class Orchestrator {
    private final Agents agents = new Agents();

    @Traced
    public String run(String task, int attempts) {
      Weft.attribute("task_kind", "bugfix");
      String result = "";
      for (int i = 0; i < attempts; i++) {
        result = agents.diagnose(task + "#" + i);
      }
      try {
        agents.verify(null);
      } catch (IllegalArgumentException expected) {
        // the caller sees the same exception instance
        if (!expected.getMessage().equals("patch is null")) throw new AssertionError();
        if (expected != Agents.LAST_THROWN) throw new AssertionError("not the same instance");
        StackTraceElement top = expected.getStackTrace()[0];
        if (!top.getMethodName().equals("verify") || top.getLineNumber() != Agents.THROW_LINE) {
          throw new AssertionError("stack trace changed: " + top);
        }
      }
      Weft.log(Map.of("pass_rate", 0.75, "bugs_fixed", 3));
      System.out.println("callId=" + Weft.currentCallId() + " active=" + Weft.isActive()
          + " trace=" + (Weft.currentTraceId() != null));
      return result + "|" + agents.login("alice", "hunter2", "sk-123");
    }
  }

  public static class Agents {
    static IllegalArgumentException LAST_THROWN;
    static int THROW_LINE;

    @Traced(name = "TriageAgent.diagnose")
    public String diagnose(String failure) {
      return "off-by-one in " + failure;
    }

    @Traced
    public void verify(String patch) {
      if (patch == null) {
        THROW_LINE = new Throwable().getStackTrace()[0].getLineNumber() + 1;
        LAST_THROWN = new IllegalArgumentException("patch is null");
        throw LAST_THROWN;
      }
    }

    @Traced
    public String login(String user, String password, @NoCapture String apiToken) {
      return "ok:" + user;
    }

    @Traced(captureInputs = false, captureOutput = false)
    public String quiet(String secretPlan) {
      return "hidden";
    }

    @Traced(root = true)
    public int standalone(int x) {
      return x * 2;
    }

    @WithSpan("legacy.span")
    public long withSpan(long n) {
      return n + 1;
    }

    @Traced
    public static double staticOp(double d) {
      return d / 2;
    }
  }

  /** Type-level: public methods traced; getters, setters and Object methods not. */
  @Traced
  public static class Fixer {
    private String mode = "fast";

    @Traced
    public Fixer() {}

    public String generatePatch(List<String> hints) {
      return "patch(" + hints.size() + ")";
    }

    public String getMode() {
      return mode;
    }

    public void setMode(String mode) {
      this.mode = mode;
    }

    public boolean isFast() {
      return mode.equals("fast");
    }

    @Override
    public String toString() {
      return "Fixer";
    }

    private String internal() {
      return "private";
    }

    public String callsInternal() {
      return internal();
    }
  }

  /** Traced only through weft.methods. */
  public static class Plain {
    public int one(int a) {
      return a;
    }

    public int one(int a, int b) {
      return a + b;
    }

    public int two() {
      return 2;
    }

    public int untouched() {
      return 0;
    }
  }

  public static void main(String[] args) {
    if (Weft.currentCallId() != null) throw new AssertionError("a call outside any traced method");
    Orchestrator o = new Orchestrator();
    System.out.println(o.run("bug-17", 2));
    Agents a = new Agents();
    System.out.println(a.quiet("plan"));
    System.out.println(a.withSpan(41));
    System.out.println(Agents.staticOp(3));
    Fixer f = new Fixer();
    f.setMode(f.getMode() + "!");
    System.out.println(f.generatePatch(List.of("a", "b")) + f.isFast() + f + f.callsInternal());
    Plain p = new Plain();
    System.out.println(p.one(1) + p.one(1, 2) + p.two() + p.untouched());
    System.out.println(new NestingApp().outer());
  }

  @Traced
  int outer() {
    return new Agents().standalone(21);
  }
}
