package dev.weft.agent.export.weave;

import dev.weft.wire.client.Client;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.Request;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;

/**
 * Sends call requests on their own threads, a few at a time, also from one export to the next:
 * while the server parses or commits one, the export thread writes the next. The server merges
 * starts and ends in any order, so order does not matter. Used by the export thread only.
 */
final class Senders {
  private final int inFlight;
  private final Client client;
  private final BiConsumer<Request, Outcome> outcomes;
  private final ExecutorService threads;
  /** Requests handed over and not yet awaited, oldest first. */
  private final ArrayDeque<Future<?>> sending = new ArrayDeque<>();

  Senders(int inFlight, Client client, BiConsumer<Request, Outcome> outcomes) {
    this.inFlight = inFlight;
    this.client = client;
    this.outcomes = outcomes;
    this.threads = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "weft-sender");
      t.setDaemon(true);
      return t;
    });
  }

  /** Hands the request over, first waiting for the oldest one if {@code inFlight} are on their way. */
  void submit(Request request) throws IOException {
    while (sending.size() >= inFlight) await(sending.removeFirst());
    sending.add(threads.submit(() -> {
      try {
        outcomes.accept(request, client.send(request));
      } finally {
        request.release();
      }
      return null;
    }));
  }

  /** Waits for every request on its way: before the run's end is sent, and before the JVM may exit. */
  void awaitAll() throws IOException {
    IOException failed = null;
    while (!sending.isEmpty()) {
      try {
        await(sending.removeFirst());
      } catch (IOException e) {
        if (failed == null) failed = e; // still wait for the others
      }
    }
    if (failed != null) throw failed;
  }

  private static void await(Future<?> sent) throws IOException {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          sent.get();
          return;
        } catch (InterruptedException e) {
          interrupted = true; // the request still ends: on abort it fails fast and is spooled
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException) throw (IOException) e.getCause();
          throw new IOException(e.getCause());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  void shutdown() {
    threads.shutdown();
  }
}
