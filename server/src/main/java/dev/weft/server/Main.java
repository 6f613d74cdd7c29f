package dev.weft.server;

import dev.weft.server.store.JdbcStore;
import dev.weft.server.store.Retention;
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
    subcommands = {Main.Serve.class, Sync.class, ArtifactCommand.class, CompareCommand.class})
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

    @Option(names = "--artifacts-dir", description = "Directory of artifacts' files (default: <--data>/artifacts). With --db and several servers, one every server mounts at the same path.")
    Path artifactsDir;

    @Option(names = "--db", description = "Store in PostgreSQL instead: jdbc:postgresql://host:5432/db?user=…&password=…")
    String db;

    @Option(names = "--api-key", description = "Require this key on every request (Basic auth, user 'api'; or the wandb-api-key header). Also from WEFT_API_KEY.")
    String apiKey;

    @Option(names = "--max-body-mb", defaultValue = "64", description = "Largest request body accepted, in MiB (default: ${DEFAULT-VALUE}); larger gets 413.")
    int maxBodyMb;

    @Option(names = "--retention-days", defaultValue = "0", description = "Delete traces whose newest call is older than this many days, with their feedback and the objects nothing else refers to; 0 keeps them forever (default: ${DEFAULT-VALUE}). A project's own setting wins.")
    int retentionDays;

    @Option(names = "--run-retention-days", description = "The same for runs and their metrics (default: as --retention-days).")
    Integer runRetentionDays;

    @Option(names = "--retention-every-seconds", defaultValue = "600", description = "How often retention looks for what to delete (default: ${DEFAULT-VALUE}).")
    int retentionEverySeconds;

    @Option(names = "--run-timeout-seconds", defaultValue = "300", description = "A running run not heard from for this long (its agent killed, its machine lost) becomes crashed; agents say they are alive every fifth of it (default: ${DEFAULT-VALUE}).")
    int runTimeoutSeconds;

    @Option(names = "--webhook", description = "POST run events to this URL (repeat for more); also settable in the UI's settings and through /webhooks/create.")
    java.util.List<String> webhooks = new java.util.ArrayList<>();

    @Option(names = "--on", split = ",", description = "The events --webhook gets: run.finished, run.failed, run.crashed, metric:NAME<VALUE, metric:NAME>VALUE (default: the three run events).")
    java.util.List<String> webhookEvents = new java.util.ArrayList<>();

    @Option(names = "--webhook-secret", description = "Sign webhook bodies with HMAC-SHA256 under this secret, in X-Weft-Signature: sha256=HEX (also from WEFT_WEBHOOK_SECRET).")
    String webhookSecret;

    @Option(names = "--public-url", description = "Where users reach this server, for links in webhooks (default: http://HOST:PORT as it listens).")
    String publicUrl;

    @Option(names = "--drain-seconds", defaultValue = "0", description = "On SIGTERM, keep serving this long (0-5 s) while /ready answers 503, so a load balancer stops sending first (default: ${DEFAULT-VALUE}).")
    int drainSeconds;

    @Override
    public Integer call() throws Exception {
      if (apiKey == null) apiKey = System.getenv("WEFT_API_KEY");
      if (apiKey != null && apiKey.isBlank()) apiKey = null;
      if (apiKey == null && !Loopback.isHost(host)) {
        System.err.println("refusing to listen on " + host + " without --api-key: anyone who can reach it could"
            + " read and write your traces. Pass --api-key KEY (or WEFT_API_KEY), or bind 127.0.0.1.");
        return 2;
      }
      if (drainSeconds < 0 || drainSeconds > 5) {
        System.err.println("--drain-seconds must be from 0 to 5: the server exits within 10 s of SIGTERM");
        return 2;
      }
      if (runTimeoutSeconds < 5) {
        System.err.println("--run-timeout-seconds must be at least 5");
        return 2;
      }
      if (retentionDays < 0 || (runRetentionDays != null && runRetentionDays < 0) || retentionEverySeconds < 1) {
        System.err.println("--retention-days and --run-retention-days take whole days (0 keeps forever); --retention-every-seconds at least 1");
        return 2;
      }
      if (webhookSecret == null) webhookSecret = System.getenv("WEFT_WEBHOOK_SECRET");
      java.util.List<String> on = webhookEvents.isEmpty() ? dev.weft.server.query.RunEvents.RUN_ENDS : webhookEvents;
      java.util.List<dev.weft.server.store.WebhookStore.Webhook> hooks = new java.util.ArrayList<>();
      for (String url : webhooks) {
        String bad = dev.weft.server.query.RunEvents.invalidUrl(url);
        for (String e : on) if (bad == null) bad = dev.weft.server.query.RunEvents.invalid(e);
        if (bad != null) {
          System.err.println("--webhook: " + bad);
          return 2;
        }
        hooks.add(new dev.weft.server.store.WebhookStore.Webhook("serve-" + (hooks.size() + 1), url, on, null, null, 0));
      }
      if (!hooks.isEmpty() && webhookSecret == null) {
        System.err.println("warning: webhooks are sent unsigned; set --webhook-secret (or WEFT_WEBHOOK_SECRET) so receivers can check them");
      }
      Retention.Policy retention = new Retention.Policy(retentionDays, runRetentionDays != null ? runRetentionDays : retentionDays);
      ServerMetrics metrics = new ServerMetrics();
      JdbcStore store = JdbcStore.connect(db, data, metrics.registry());
      if (artifactsDir != null) store.useArtifactsDir(artifactsDir);
      WeftServer server = WeftServer.listen(
          new WeftServer.Options(host, port, apiKey, (long) maxBodyMb * 1024 * 1024, drainSeconds,
          retention, java.time.Duration.ofSeconds(retentionEverySeconds), java.time.Duration.ofSeconds(runTimeoutSeconds),
          hooks, webhookSecret, publicUrl),
          store, metrics);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "weft-server-shutdown"));
      System.out.println("store: " + store.description());
      try {
        store.migrate(); // other servers starting on the same database wait here for the first
      } catch (IllegalStateException | dev.weft.server.store.StoreException e) {
        System.err.println("cannot serve this database: " + e.getMessage()
            + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""));
        return 2; // System.exit runs the hook, which closes the server
      }
      server.serve();
      System.out.println("listening on http://" + WeftServer.displayHost(host) + ":" + server.port());
      System.out.flush();
      stopped.await();
      return 0;
    }
  }
}
