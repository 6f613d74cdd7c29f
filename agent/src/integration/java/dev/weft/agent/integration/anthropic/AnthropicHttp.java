package dev.weft.agent.integration.anthropic;

import com.anthropic.core.http.Headers;
import com.anthropic.core.http.HttpMethod;
import com.anthropic.core.http.HttpRequest;
import com.anthropic.core.http.HttpRequestBody;
import com.anthropic.core.http.HttpResponse;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.llm.Exchange;
import dev.weft.agent.llm.LlmCalls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Anthropic Java SDK (3.x): a POST to messages (the beta API's too), plain or streamed, is an
 * LLM call, from the request the SDK hands its HTTP client to the end of the response body the
 * SDK reads; bodies kept as the SDK writes and reads them. The SDK's inner layers (retries,
 * auth, the transport) get a request whose body is already a {@link KeptBody}, on whichever
 * thread, and are not recorded again. Streams report usage on their own.
 */
public final class AnthropicHttp implements Integrations.Http {
  private static final String INTEGRATION = "anthropic";

  @Override
  public Object[] enter(Object sent) {
    HttpRequest request = (HttpRequest) sent;
    HttpRequestBody body = request.body().orElse(null);
    if (request.method() != HttpMethod.POST || body == null || body instanceof KeptBody) return null;
    if (!isMessages(request.pathSegments())) return null;
    Exchange exchange = LlmCalls.open(INTEGRATION, "anthropic.Messages.create", "anthropic", "messages");
    if (exchange == null) return null;
    HttpRequest traced = request.toBuilder().body(new KeptBody(body, exchange)).build();
    exchange.enter();
    return new Object[] {traced, exchange};
  }

  @Override
  public Object exit(Object state, Object response, Throwable thrown) {
    Exchange exchange = (Exchange) state;
    return exchange.returned(response, thrown) ? kept(exchange, (HttpResponse) response) : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object exitAsync(Object state, Object future, Throwable thrown) {
    Exchange exchange = (Exchange) state;
    return exchange.returned(future, thrown)
        ? exchange.later((CompletableFuture<HttpResponse>) future, r -> kept(exchange, r)) : null;
  }

  /** {@code …/v1/messages}; not its sub-resources (count_tokens, batches). */
  static boolean isMessages(List<String> path) {
    return !path.isEmpty() && path.get(path.size() - 1).equals("messages");
  }

  private static HttpResponse kept(Exchange exchange, HttpResponse response) {
    boolean events = false;
    for (String type : response.headers().values("Content-Type")) events |= type.startsWith("text/event-stream");
    return new KeptResponse(response, exchange.response(response.statusCode(), events, response.body()));
  }

  /** The SDK's request body, written through the exchange so it is kept. */
  static final class KeptBody implements HttpRequestBody {
    private final HttpRequestBody sdk;
    private final Exchange exchange;

    KeptBody(HttpRequestBody sdk, Exchange exchange) {
      this.sdk = sdk;
      this.exchange = exchange;
    }

    @Override
    public void writeTo(OutputStream out) {
      sdk.writeTo(exchange.request(out));
    }

    @Override
    public String contentType() {
      return sdk.contentType();
    }

    @Override
    public long contentLength() {
      return sdk.contentLength();
    }

    @Override
    public boolean repeatable() {
      return sdk.repeatable();
    }

    @Override
    public void close() {
      sdk.close();
    }
  }

  /** The SDK's response, its body read through the exchange. */
  private static final class KeptResponse implements HttpResponse {
    private final HttpResponse sdk;
    private final InputStream body;

    KeptResponse(HttpResponse sdk, InputStream body) {
      this.sdk = sdk;
      this.body = body;
    }

    @Override
    public int statusCode() {
      return sdk.statusCode();
    }

    @Override
    public Headers headers() {
      return sdk.headers();
    }

    @Override
    public InputStream body() {
      return body;
    }

    @Override
    public void close() {
      try {
        body.close(); // ends the call if the body was not read to its end
      } catch (IOException ignored) {
        // closing anyway
      } finally {
        sdk.close();
      }
    }
  }
}
