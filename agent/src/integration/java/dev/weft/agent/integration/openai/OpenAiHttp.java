package dev.weft.agent.integration.openai;

import com.openai.core.http.Headers;
import com.openai.core.http.HttpMethod;
import com.openai.core.http.HttpRequest;
import com.openai.core.http.HttpRequestBody;
import com.openai.core.http.HttpResponse;
import dev.weft.agent.bootstrap.Integrations;
import dev.weft.agent.llm.ChatStreamUsage;
import dev.weft.agent.llm.Exchange;
import dev.weft.agent.llm.LlmCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The OpenAI Java SDK (4.x): a POST to chat completions, the Responses API or embeddings is an
 * LLM call, from the request the SDK hands its HTTP client to the end of the response body the
 * SDK reads. The request body is kept as the SDK writes it and the response body as the SDK
 * reads it (wrappers of the SDK's own body types), so nothing is serialized or parsed twice here.
 * A streamed chat completion asks for usage when the app's request does not (see
 * {@link ChatStreamUsage}). The SDK's inner layers (retries, logging, the transport) get a request
 * whose body is already a {@link KeptBody}, on whichever thread, and are not recorded again.
 */
public final class OpenAiHttp implements Integrations.Http {
  private static final String INTEGRATION = "openai";

  @Override
  public Object[] enter(Object sent) {
    HttpRequest request = (HttpRequest) sent;
    HttpRequestBody body = request.body();
    if (request.method() != HttpMethod.POST || body == null || body instanceof KeptBody) return null;
    String api = api(request.pathSegments());
    if (api == null || !LlmCalls.on(INTEGRATION)) return null;
    byte[] original = null;
    byte[] asked = null;
    if (api.equals("chat.completions")) {
      // Whether it streams is in the body: older SDKs (4.13) send no Accept: text/event-stream.
      original = bytes(body); // before the call opens: writeTo may throw
      asked = ChatStreamUsage.asked(original);
    }
    Exchange exchange = LlmCalls.open(INTEGRATION, "openai." + api + ".create", "openai", api);
    if (exchange == null) return null;
    if (original != null) exchange.request(original);
    HttpRequest traced = request.toBuilder().body(new KeptBody(body, original == null ? exchange : null, asked)).build();
    exchange.enter();
    return new Object[] {traced, new Sending(exchange, asked != null)};
  }

  @Override
  public Object exit(Object state, Object response, Throwable thrown) {
    Sending s = (Sending) state;
    return s.exchange.returned(response, thrown) ? s.kept((HttpResponse) response) : null;
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object exitAsync(Object state, Object future, Throwable thrown) {
    Sending s = (Sending) state;
    return s.exchange.returned(future, thrown) ? s.exchange.later((CompletableFuture<HttpResponse>) future, s::kept) : null;
  }

  /** The API a request goes to, by the end of its path (compatible servers and Azure prefix it); or null. */
  static String api(List<String> path) {
    int n = path.size();
    if (n == 0) return null;
    String last = path.get(n - 1);
    if (last.equals("completions") && n >= 2 && path.get(n - 2).equals("chat")) return "chat.completions";
    if (last.equals("responses") || last.equals("embeddings")) return last;
    return null;
  }

  private static byte[] bytes(HttpRequestBody body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    body.writeTo(out); // the SDK's JSON body serializes once and writes the same bytes each time
    return out.toByteArray();
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T unchecked(Throwable t) throws T {
    throw (T) t;
  }

  private static boolean isEventStream(Headers headers) {
    for (String type : headers.values("Content-Type")) if (type.startsWith("text/event-stream")) return true;
    return false;
  }

  /** One exchange on its way: what the response is kept by. */
  private static final class Sending {
    final Exchange exchange;
    /** The request asked for stream usage the app did not: the app's stream is given back without it. */
    final boolean usageAsked;

    Sending(Exchange exchange, boolean usageAsked) {
      this.exchange = exchange;
      this.usageAsked = usageAsked;
    }

    HttpResponse kept(HttpResponse response) {
      boolean events = isEventStream(response.headers());
      InputStream body = exchange.response(response.statusCode(), events, response.body());
      if (usageAsked && events && response.statusCode() / 100 == 2) body = ChatStreamUsage.unasked(body);
      return new KeptResponse(response, body);
    }
  }

  /**
   * The request body: the SDK's, written through the exchange ({@code tee}) so it is kept; or,
   * when the request asks for stream usage, the body that asks ({@code instead}).
   */
  static final class KeptBody implements HttpRequestBody {
    private final HttpRequestBody sdk;
    private final Exchange tee;
    private final byte[] instead;

    KeptBody(HttpRequestBody sdk, Exchange tee, byte[] instead) {
      this.sdk = sdk;
      this.tee = tee;
      this.instead = instead;
    }

    @Override
    public void writeTo(OutputStream out) {
      if (instead != null) {
        try {
          out.write(instead);
        } catch (IOException e) {
          throw OpenAiHttp.<RuntimeException>unchecked(e); // as the SDK's own body throws it, undeclared
        }
      } else {
        sdk.writeTo(tee == null ? out : tee.request(out));
      }
    }

    @Override
    public String contentType() {
      return sdk.contentType();
    }

    @Override
    public long contentLength() {
      return instead != null ? instead.length : sdk.contentLength();
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
