package dev.weft.agent.integration.springai;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.bootstrap.Op;
import dev.weft.agent.bootstrap.Ops;
import dev.weft.agent.capture.Capture;
import dev.weft.agent.llm.LlmCalls;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.client.ChatClientRequest;
import org.springframework.ai.chat.client.ChatClientResponse;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.model.Generation;
import reactor.core.publisher.Flux;

/**
 * Spring AI's {@code ChatClient}: each request it makes, {@code call()} or {@code stream()}, is a
 * call of its own ({@code spring_ai.ChatClient.call}, {@code spring_ai.ChatClient.stream}) around
 * what its advisors do (memory, retrieval, tools) and the model calls they lead to, with the
 * prompt as inputs. It is the outermost pass through the advisor chain ({@code nextCall},
 * {@code nextStream}), which every advisor calls again for the next: those inner passes run in
 * the call and are not calls of their own.
 */
public final class SpringAiClient implements Integrations.Models {
  private static final String[] PARAMS = {"messages", "options"};
  private static final String OP = SpringAiModels.INTEGRATION + ".ChatClient.";
  private static final Op CALL = op("call");
  private static final Op STREAM = op("stream");

  private static Op op(String method) {
    return Ops.register(id -> new Op(id, OP + method, ChatClient.class.getName(), method, PARAMS,
        new byte[] {Capture.CAPTURE, Capture.CAPTURE}, true, true, false, Op.RETURNS));
  }

  @Override
  public Object enter(Object target, String method, Object[] args) {
    if (!(args[0] instanceof ChatClientRequest) || !LlmCalls.on(SpringAiModels.INTEGRATION)) return null;
    Call current = Calls.current();
    if (current != null && current.op.name.startsWith(OP)) return null; // an advisor passing the request on
    ChatClientRequest request = (ChatClientRequest) args[0];
    Map<String, Object> prompt = Prompts.request(request.prompt(), null);
    Object messages = prompt.remove("messages");
    return Calls.enter((method.equals("nextStream") ? STREAM : CALL).id, new Object[] {messages, prompt});
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object exit(Object state, Object returned, Throwable thrown) {
    Call call = (Call) state;
    if (call.op == STREAM && returned instanceof Flux && thrown == null) {
      return ClientStream.traced(call, (Flux<ChatClientResponse>) returned);
    }
    Calls.exit(call, returned instanceof ChatClientResponse ? reply((ChatClientResponse) returned) : returned, thrown);
    return returned;
  }

  /** What the chat client answered: the reply's text, or its tool calls. */
  private static Object reply(ChatClientResponse response) {
    ChatResponse r = response.chatResponse();
    Generation g = r == null ? null : r.getResult();
    AssistantMessage m = g == null ? null : g.getOutput();
    if (m == null) return null;
    if (m.getToolCalls() == null || m.getToolCalls().isEmpty()) return m.getText();
    Map<String, Object> out = new LinkedHashMap<>(Prompts.assistant(m));
    out.remove("role");
    return out;
  }
}
