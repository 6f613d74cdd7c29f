package dev.weft.agent.llm;

import dev.weft.agent.bootstrap.Call;
import dev.weft.agent.bootstrap.Calls;
import dev.weft.agent.bootstrap.LlmRecord;
import dev.weft.agent.bootstrap.Orphans;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * One HTTP exchange with a model provider, as its SDK makes it: the request body is kept as the
 * SDK writes it, the response body as the SDK reads it, and the call ends when the response has
 * been read to its end or closed, or the exchange failed. Nothing is parsed here: that is the
 * export thread's work ({@link Decoders}).
 */
public final class Exchange {
  private final Call call;
  private final LlmRecord record;
  private Calls.Scoped scope;

  Exchange(Call call, LlmRecord record) {
    this.call = call;
    this.record = record;
  }

  /** The call current while the SDK sends, so its inner layers see an exchange open. */
  public void enter() {
    scope = Calls.makeCurrent(call);
  }

  /** The SDK's send returned, or threw. */
  public void leave() {
    if (scope != null) scope.close();
    scope = null;
  }

  /**
   * The SDK's send returned {@code result} (a response, or a future of one) or threw
   * {@code thrown}: leaves the call, and ends it with {@code thrown} when there is no result.
   * Whether there is one, to keep the response by.
   */
  public boolean returned(Object result, Throwable thrown) {
    leave();
    if (result != null) return true;
    failed(thrown);
    return false;
  }

  /**
   * Where to write the request body: {@code out}, keeping a copy. Each write is the whole body
   * (a retry writes it again), so the copy starts afresh.
   */
  public OutputStream request(OutputStream out) {
    record.requestBytes().reset();
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        out.write(b);
        record.requestBytes().write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        record.requestBytes().write(b, off, len);
      }
    };
  }

  /** Keeps the request body as given (the SDK had it at hand). */
  public void request(byte[] body) {
    record.requestBytes().write(body, 0, body.length);
  }

  /**
   * The response arrived: its body is read through the returned stream, which ends the call at
   * its end, at close, or, if the app drops it unread, when it is collected or the JVM exits.
   */
  public InputStream response(int status, boolean eventStream, InputStream body) {
    record.status(status);
    record.stream(eventStream);
    Ending ending = new Ending();
    InputStream kept = new FilterInputStream(body) {
      @Override
      public int read() throws IOException {
        int b;
        try {
          b = in.read();
        } catch (IOException e) {
          throw ending.failed(e);
        }
        if (b < 0) ending.run();
        else record.responseBytes().write(b);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
          n = in.read(b, off, len);
        } catch (IOException e) {
          throw ending.failed(e);
        }
        if (n < 0) ending.run();
        else record.responseBytes().write(b, off, n);
        return n;
      }

      @Override
      public void close() throws IOException {
        ending.closed();
        in.close();
      }
    };
    ending.watch = Orphans.watch(kept, ending::dropped);
    return kept;
  }

  /** No response: the exchange failed (unreachable, timed out, interrupted). */
  public void failed(Throwable t) {
    Calls.finish(call, null, t instanceof CompletionException && t.getCause() != null ? t.getCause() : t);
  }

  /**
   * An asynchronous send's future, {@code sent}, as one whose response is {@code kept} (its body
   * kept as it is read); a failure ends the call. Cancelling the returned future cancels
   * {@code sent}, ends the call, and closes a response that arrives anyway.
   */
  public <T extends AutoCloseable> CompletableFuture<T> later(CompletableFuture<T> sent, Function<T, T> kept) {
    CompletableFuture<T> out = new CompletableFuture<>();
    sent.whenComplete((response, error) -> {
      if (error != null) {
        failed(error);
        out.completeExceptionally(error); // as stored in sent: the app sees the same exception
        return;
      }
      T mine;
      try {
        mine = kept.apply(response);
      } catch (Throwable t) {
        failed(t);
        mine = response;
      }
      if (!out.complete(mine)) close(mine);
    });
    out.whenComplete((response, error) -> {
      if (out.isCancelled()) {
        sent.cancel(false);
        failed(error);
      }
    });
    return out;
  }

  private static void close(AutoCloseable response) {
    try {
      response.close();
    } catch (Exception ignored) {
      // the app cancelled: nobody reads it
    }
  }

  /** Ends the call once: at the body's end, at close before the end (abandoned), or when dropped. */
  private final class Ending implements Runnable {
    Orphans.Watch watch;

    @Override
    public void run() {
      if (watch != null) watch.forget();
      Calls.finish(call, null, null);
    }

    void closed() {
      if (!call.isEnded()) record.abandoned();
      run();
    }

    IOException failed(IOException e) {
      if (watch != null) watch.forget();
      Calls.finish(call, null, e);
      return e;
    }

    void dropped() {
      record.abandoned();
      Calls.finish(call, null, null);
    }
  }
}
