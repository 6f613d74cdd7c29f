package dev.weft.agent.integration.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.internal.Json;
import dev.langchain4j.service.tool.ToolExecutionResult;
import dev.langchain4j.service.tool.ToolExecutor;
import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.bootstrap.Ops;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.capture.Redaction;
import dev.weft.agent.llm.LlmCalls;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls around LangChain4j's model calls: an AI service's method is a call of its own, named
 * as a traced method would be ({@code Assistant.chat}), with its arguments as inputs and its
 * result as output; its model calls and tools nest under it. Each tool an AI service runs
 * through its {@code ToolExecutor} is a call named by the tool ({@code langchain4j.tool.<name>}),
 * with the model's arguments as inputs and the tool's result as output.
 */
public final class LangChain4jServices implements Integrations.Models {
  private static final String TOOL_OP = LangChain4jModels.INTEGRATION + ".tool.";
  /** The tool request running on this thread: an executor's execute and executeWithContext are one call. */
  private static final ThreadLocal<ToolExecutionRequest> RUNNING_TOOL = new ThreadLocal<>();
  private static final Map<String, Op> TOOLS = new ConcurrentHashMap<>();
  /** An AI service's ops, by method, kept with the service's interface. */
  private static final ClassValue<Map<Method, Op>> SERVICES = new ClassValue<Map<Method, Op>>() {
    @Override
    protected Map<Method, Op> computeValue(Class<?> type) {
      return new ConcurrentHashMap<>();
    }
  };

  @Override
  public Object enter(Object target, String method, Object[] args) {
    if (!LlmCalls.on(LangChain4jModels.INTEGRATION)) return null;
    if (target instanceof ToolExecutor) return tool(args[0]);
    if (target instanceof InvocationHandler && args[1] instanceof Method) return service((Method) args[1], (Object[]) args[2]);
    return null;
  }

  @Override
  public Object exit(Object state, Object returned, Throwable thrown) {
    if (state instanceof Tool) {
      Tool t = (Tool) state;
      if (t.outer == null) RUNNING_TOOL.remove();
      else RUNNING_TOOL.set(t.outer);
      // executeWithContext gives a result object; execute, its text.
      Calls.exit(t.call, returned instanceof ToolExecutionResult ? ((ToolExecutionResult) returned).resultText() : returned,
          thrown);
      return returned;
    }
    // A service returning a Flux (streaming) ends its call when the Flux ends.
    return Calls.exitPublisher((Call) state, returned, thrown);
  }

  private static Object tool(Object given) {
    if (!(given instanceof ToolExecutionRequest)) return null;
    ToolExecutionRequest request = (ToolExecutionRequest) given;
    ToolExecutionRequest outer = RUNNING_TOOL.get();
    if (outer == request) return null;
    Op op = TOOLS.computeIfAbsent(String.valueOf(request.name()), name -> Ops.register(id -> new Op(id, TOOL_OP + name,
        ToolExecutor.class.getName(), name, new String[] {"arguments"}, new byte[] {Capture.CAPTURE},
        true, true, false, Op.RETURNS)));
    Call call = Calls.enter(op.id, new Object[] {arguments(request.arguments())});
    if (call == null) return null;
    RUNNING_TOOL.set(request);
    return new Tool(call, outer);
  }

  /** The model's arguments for a tool, a JSON object, as a map; as the text itself if it is not JSON. */
  private static Object arguments(String json) {
    if (json == null || json.isBlank()) return Collections.emptyMap();
    try {
      return Json.fromJson(json, Map.class);
    } catch (RuntimeException | LinkageError e) { // internal to LangChain4j: a later version may move it
      return json;
    }
  }

  /** The AI service method's call; none for its default, Object and chat-memory methods. */
  private static Call service(Method method, Object[] args) {
    Class<?> declaring = method.getDeclaringClass();
    if (method.isDefault() || declaring == Object.class || declaring.getName().startsWith("dev.langchain4j.")) return null;
    Op op = SERVICES.get(declaring).computeIfAbsent(method, LangChain4jServices::serviceOp);
    return Calls.enter(op.id, args == null ? new Object[0] : args.clone());
  }

  private static Op serviceOp(Method method) {
    Parameter[] params = method.getParameters();
    String[] names = new String[params.length];
    byte[] modes = new byte[params.length];
    for (int i = 0; i < params.length; i++) {
      names[i] = params[i].getName();
      modes[i] = redacted(names[i]) ? Capture.REDACT : Capture.CAPTURE;
    }
    Class<?> service = method.getDeclaringClass();
    return Ops.register(id -> new Op(id, service.getSimpleName() + "." + method.getName(), service.getName(),
        method.getName(), names, modes, true, method.getReturnType() != void.class, false, Op.RETURNS));
  }

  /** Whether the agent's redaction (weft.redact) covers a parameter of this name, as it does a traced method's. */
  private static boolean redacted(String name) {
    return String.valueOf(Capture.value(Collections.singletonMap(name, ""))).contains(Redaction.REDACTED);
  }

  /** A tool's call, and the tool request running outside it on this thread. */
  private static final class Tool {
    final Call call;
    final ToolExecutionRequest outer;

    Tool(Call call, ToolExecutionRequest outer) {
      this.call = call;
      this.outer = outer;
    }
  }
}
