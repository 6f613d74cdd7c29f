package dev.weft.it;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;

/** A plain HTTP server on a free loopback port, for tests that play a broken or picky trace server. */
final class StubServer {
  private StubServer() {}

  /** Serves {@code handler} at every path, on daemon threads: a handler left hanging never holds up the test JVM. */
  static HttpServer start(HttpHandler handler) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", handler);
    server.setExecutor(Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r);
      t.setDaemon(true);
      return t;
    }));
    server.start();
    return server;
  }
}
