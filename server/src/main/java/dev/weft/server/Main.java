package dev.weft.server;

import dev.weft.server.store.JdbcStore;
import dev.weft.wire.Loopback;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar weft-server.jar <command>}. */
@Command(name = "weft-server", mixinStandardHelpOptions = true, version = "Weft server 0.1.0",
    description = "A Weave-compatible trace server with an embedded store.",
    subcommands = {Main.Serve.class, Sync.class})
public final class Main implements Runnable {
  @Override
  public void run() {
    CommandLine.usage(this, System.out);
  }

  public static void main(String[] args) {
    quietLibraryLogs();
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Jetty, Javalin and Hikari log their start-up at info; the server says what matters itself. */
  static void quietLibraryLogs() {
    String level = System.getProperty("weft.log.level", "warn");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
  }

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Serve the Weave trace-server API and the web UI on HOST:PORT, storing calls durably.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "6345", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}). Any non-loopback address needs --api-key.")
    String host;

    @Option(names = "--data", defaultValue = "weft-data", description = "Directory of the embedded SQLite store (default: ${DEFAULT-VALUE}).")
    Path data;

    @Option(names = "--db", description = "Store in PostgreSQL instead: jdbc:postgresql://host:5432/db?user=…&password=…")
    String db;

    @Option(names = "--api-key", description = "Require this key on every request (Basic auth, user 'api'; or the wandb-api-key header). Also from WEFT_API_KEY.")
    String apiKey;

    @Option(names = "--max-body-mb", defaultValue = "64", description = "Largest request body accepted, in MiB (default: ${DEFAULT-VALUE}); larger gets 413.")
    int maxBodyMb;

    @Override
    public Integer call() throws Exception {
      if (apiKey == null) apiKey = System.getenv("WEFT_API_KEY");
      if (apiKey != null && apiKey.isBlank()) apiKey = null;
      if (apiKey == null && !Loopback.isHost(host)) {
        System.err.println("refusing to listen on " + host + " without --api-key: anyone who can reach it could"
            + " read and write your traces. Pass --api-key KEY (or WEFT_API_KEY), or bind 127.0.0.1.");
        return 2;
      }
      JdbcStore store = JdbcStore.open(db, data);
      WeftServer server = WeftServer.start(
          new WeftServer.Options(host, port, apiKey, (long) maxBodyMb * 1024 * 1024), store);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "weft-server-shutdown"));
      System.out.println("store: " + store.description());
      System.out.println("listening on http://" + displayHost(host) + ":" + server.port());
      System.out.flush();
      stopped.await();
      return 0;
    }

    private static String displayHost(String host) {
      return host.contains(":") ? "[" + host + "]" : host;
    }
  }
}
