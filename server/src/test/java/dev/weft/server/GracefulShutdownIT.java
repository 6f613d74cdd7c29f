package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load behind a load balancer: the server says it is draining on {@code /ready},
 * keeps serving for {@code --drain-seconds} while the balancer (here: the clients, which poll
 * {@code /ready} as a balancer's health check does) stops sending, finishes what is in flight,
 * commits what is queued and exits within 10 s. Every call answered 2xx is there after a restart,
 * and no request is cut off: each is answered, or refused before it was sent.
 *
 * <p>Without a balancer that follows {@code /ready}, a request whose connection the kernel
 * accepted just before the listening socket closed is reset: no server can answer it. Such a
 * request was never acknowledged, so nothing is lost; the balancer is what avoids it.
 */
class GracefulShutdownIT {
  private static final int CLIENTS = 4, CALLS_PER_REQUEST = 200;

  @Test
  void sqliteLosesNoAcknowledgedCallAndCutsOffNoRequest() throws Exception {
    Path data = Files.createTempDirectory("weft-shutdown");
    try {
      assertGraceful("--data", data.toString());
    } finally {
      TempDirs.delete(data);
    }
  }

  @Test
  void postgresLosesNoAcknowledgedCallAndCutsOffNoRequest() throws Exception {
    String url = PostgresFixtures.newDatabase();
    try {
      assertGraceful("--db", url);
    } finally {
      PostgresFixtures.drop(url);
    }
  }

  private static void assertGraceful(String... store) throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> cutOff = new ArrayList<>();
    int[] refused = new int[1];
    List<String> args = new ArrayList<>(List.of(store));
    args.addAll(List.of("--drain-seconds", "1"));
    ServerProcess server = new ServerProcess(args.toArray(String[]::new));
    String base = server.base();
    AtomicBoolean done = new AtomicBoolean();
    AtomicBoolean balancerSends = new AtomicBoolean(true);
    Thread healthCheck = new Thread(() -> {
      HttpClient http = HttpClient.newHttpClient();
      while (balancerSends.get() && !done.get()) {
        try {
          int status = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
              HttpResponse.BodyHandlers.discarding()).statusCode();
          if (status != 200) balancerSends.set(false);
          Thread.sleep(100);
        } catch (IOException e) {
          balancerSends.set(false);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "health-check");
    healthCheck.start();
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < CLIENTS; t++) {
      int client = t;
      Thread th = new Thread(() -> {
        HttpClient http = HttpClient.newHttpClient();
        for (int b = 0; balancerSends.get() && !done.get() && b < 100_000; b++) {
          String prefix = "c" + client + "-" + b + "-";
          try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/call/upsert_batch"))
                .POST(HttpRequest.BodyPublishers.ofString(DurabilityIT.batch(prefix, CALLS_PER_REQUEST))).build(),
                HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200) {
              for (int i = 0; i < CALLS_PER_REQUEST; i++) acknowledged.add(prefix + i);
            } else {
              synchronized (cutOff) {
                cutOff.add("answered " + r.statusCode() + ": " + r.body());
              }
            }
          } catch (ConnectException e) {
            synchronized (cutOff) {
              refused[0]++; // the listening socket is closed: the request was never sent
            }
            return;
          } catch (IOException | InterruptedException e) {
            synchronized (cutOff) {
              cutOff.add(e.toString());
            }
            return;
          }
        }
      });
      th.start();
      clients.add(th);
    }
    while (acknowledged.size() < 20 * CALLS_PER_REQUEST) Thread.sleep(20); // under load
    long sigterm = System.nanoTime();
    int exit = server.stop();
    double seconds = (System.nanoTime() - sigterm) / 1e9;
    done.set(true);
    for (Thread th : clients) th.join(30_000);
    healthCheck.join(30_000);

    assertTrue(seconds < 10, "exited " + seconds + " s after SIGTERM");
    assertEquals(143, exit, "exits as a process stopped by SIGTERM does, after its shutdown hook\n" + server.printed());
    assertEquals(List.of(), cutOff, "requests cut off or refused with an error; " + refused[0] + " refused at connect");

    try (ServerProcess again = new ServerProcess(store)) {
      again.assertStored(acknowledged);
    }
  }
}
