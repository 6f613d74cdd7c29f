package dev.weft.agent.llm;

import java.util.Map;

/** An LLM call as Weave shows it: inputs, output or error, the models, and token usage. */
public final class Decoded {
  /** The request as captured (see {@code Capture.value}): model, messages, tools, parameters. */
  public final Object inputs;
  /** The response as captured; a stream's assembled message. */
  public final Object output;
  /** The provider's refusal (status and body), as an exception text; or null. */
  public final String error;
  /** OpenTelemetry's {@code gen_ai.operation.name}: {@code chat}, {@code embeddings}, … */
  public final String operation;
  public final String requestModel;
  public final String responseModel;
  /** Tokens by response model: {@code requests}, {@code prompt_tokens}, {@code completion_tokens}, … */
  public final Map<String, Map<String, Long>> usage;

  public Decoded(Object inputs, Object output, String error, String operation, String requestModel,
      String responseModel, Map<String, Map<String, Long>> usage) {
    this.inputs = inputs;
    this.output = output;
    this.error = error;
    this.operation = operation;
    this.requestModel = requestModel;
    this.responseModel = responseModel;
    this.usage = usage == null ? Map.of() : usage;
  }
}
