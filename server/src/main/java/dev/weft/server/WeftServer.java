package dev.weft.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.http.ArtifactRoutes;
import dev.weft.server.http.CallRoutes;
import dev.weft.server.http.CompareRoutes;
import dev.weft.server.http.WebhookRoutes;
import dev.weft.server.query.RunEvents;
import dev.weft.server.store.WebhookStore;
import java.util.List;
import dev.weft.server.http.CostRoutes;
import dev.weft.server.http.ObjectRoutes;
import dev.weft.server.http.RetentionRoutes;
import dev.weft.server.http.RunRoutes;
import dev.weft.server.otel.OtelRoutes;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.store.JdbcStore;
import dev.weft.server.store.Retention;
import dev.weft.server.store.StoreException;
import dev.weft.wire.Loopback;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route family registered here, errors answered as Weave answers them
 * ({@code {"detail": …}}), and the API key checked before any route runs.
 *
 * <p>Its life: {@link #listen} answers the probes and {@code /metrics} while the store's schema
 * is brought up to date, and 503 to the API; {@link #serve} opens the API; {@link #close} drains
 * (see there).
 */
public final class WeftServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeftServer.class);
  /** In-flight requests get this long to finish after a stop; with the store's close, within 10 s. */
  private static final long STOP_TIMEOUT_MS = 8_000;

  /**
   * What {@code serve} was asked for. {@code drainSeconds}: how long a stopping server keeps
   * serving while {@code /ready} already says it is going, so a load balancer moves away first.
   * {@code retention}: the server's default, checked every {@code retentionEvery}.
   */
  public record Options(String host, int port, String apiKey, long maxBodyBytes, int drainSeconds,
      Retention.Policy retention, Duration retentionEvery, Duration runTimeout,
      List<WebhookStore.Webhook> webhooks, String webhookSecret, String publicUrl) {
    public Options(String host, int port, String apiKey, long maxBodyBytes) {
      this(host, port, apiKey, maxBodyBytes, 0, new Retention.Policy(0, 0), Duration.ofMinutes(10), Duration.ofMinutes(5),
          List.of(), null, null);
    }
  }

  private enum State { STARTING, SERVING, DRAINING }

  private final Javalin app;
  private final JdbcStore store;
  private final ServerMetrics metrics;
  private final Options options;
  /** Counts the requests in flight, which a stop waits for. */
  private final StatisticsHandler inFlight;
  private volatile State state = State.STARTING;
  private RunWatch runWatch;
  private ArtifactSweep artifactSweep;
  private WebhookSender webhooks;
  /** Runs' ends and thresholds, as webhook deliveries. */
  private final RunEvents events;

  /** A host as it goes in a URL: an IPv6 address in brackets. */
  static String displayHost(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private WeftServer(Javalin app, JdbcStore store, ServerMetrics metrics, Options options, StatisticsHandler inFlight,
      RunEvents events) {
    this.events = events;
    this.app = app;
    this.store = store;
    this.metrics = metrics;
    this.options = options;
    this.inFlight = inFlight;
  }

  /** Opens the API and starts retention: called once the store's schema is up to date. */
  public void serve() {
    store.retention().start(options.retention(), options.retentionEvery());
    runWatch = new RunWatch(store.runs(), events, options.runTimeout());
    artifactSweep = new ArtifactSweep(store.artifacts());
    webhooks = new WebhookSender(store.webhooks(), events, options.webhookSecret());
    state = State.SERVING;
  }

  /**
   * Listens on the port: the probes and {@code /metrics} answer, the API answers 503 until
   * {@link #serve}. {@code metrics}: the registry the store reports to as well.
   */
  public static WeftServer listen(Options options, JdbcStore store, ServerMetrics metrics) {
    ObjectMapper json = new ObjectMapper();
    Bodies bodies = new Bodies(json, options.maxBodyBytes());
    WeftServer[] self = new WeftServer[1];
    StatisticsHandler inFlight = new StatisticsHandler();
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(json, false));
      cfg.http.maxRequestSize = options.maxBodyBytes();
      cfg.startupWatcherEnabled = false;
      cfg.jetty.modifyServer(server -> {
        server.setStopTimeout(STOP_TIMEOUT_MS);
        server.setHandler(inFlight);
      });
      cfg.requestLogger.http((ctx, ms) -> self[0].metrics.request(ctx, ms));
      // The web UI: plain files from the jar, no build step; Chart.js from its WebJar.
      cfg.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/ui";
        files.location = Location.CLASSPATH;
        files.headers = java.util.Map.of("Cache-Control", "no-cache");
      });
      cfg.staticFiles.enableWebjars();
    });
    // Compressing an answer for a client on this machine costs CPU on both sides and saves
    // nothing: a 10,000-call trace, or the ids of a batch of 5,000 call starts, goes as it is.
    app.before(ctx -> {
      if (Loopback.isHost(ctx.req().getRemoteAddr())) ctx.disableCompression();
    });
    if (options.apiKey() != null) app.before(ctx -> requireKey(ctx, options.apiKey()));
    app.before(ctx -> self[0].admit(ctx));
    app.get("/health", ctx -> ctx.json(json.createObjectNode().put("status", "ok")));
    app.get("/ready", ctx -> self[0].ready(ctx, json));
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(self[0].metrics.scrape()));
    app.get("/server_info", ctx -> ctx.json(json.createObjectNode()
        .put("min_required_weave_python_version", "0.0.0").put("server", "weft")));
    new CallRoutes(store.calls(), store.prices(), json, bodies).register(app);
    new CostRoutes(store.prices(), json, bodies).register(app);
    new ObjectRoutes(store.objects(), json, bodies).register(app);
    new OtelRoutes(store.calls(), store.objects(), json, bodies).register(app);
    RunEvents events = new RunEvents(store.runs(), store.calls(), store.webhooks(), options.webhooks(),
        () -> options.publicUrl() != null ? options.publicUrl() : "http://" + displayHost(options.host()) + ":" + app.port());
    new CompareRoutes(store.runs(), store.calls(), json, bodies).register(app);
    new WebhookRoutes(store.webhooks(), events, json, bodies).register(app);
    new RunRoutes(store.runs(), store.calls(), store.prices(), json, bodies,
        RunWatch.heartbeatSeconds(options.runTimeout()), events).register(app);
    new RetentionRoutes(store.retention(), json, bodies).register(app);
    new ArtifactRoutes(store.artifacts(), json, bodies).register(app);

    app.exception(ApiError.class, (e, ctx) -> detail(ctx, e.status, e.getMessage()));
    app.exception(StoreException.class, (e, ctx) -> {
      log.error("store failure", e);
      detail(ctx, 503, "the store is unavailable: " + e.getMessage());
    });
    app.exception(Exception.class, (e, ctx) -> {
      log.error("unexpected failure on " + ctx.path(), e);
      detail(ctx, 500, "internal error: " + e.getClass().getSimpleName());
    });
    app.error(404, ctx -> {
      String answered = ctx.result();
      if (answered == null || !answered.startsWith("{\"detail\"")) { // not one of our own 404s
        detail(ctx, 404, "no route " + ctx.method() + " " + ctx.path());
      }
    });
    app.error(405, ctx -> detail(ctx, 405, "method not allowed: " + ctx.method() + " " + ctx.path()));
    self[0] = new WeftServer(app, store, metrics, options, inFlight, events);
    app.start(options.host(), options.port());
    return self[0];
  }

  /**
   * Until the schema is up to date the API answers 503, as a store that is down does; while
   * draining, each answer closes its connection, so clients open their next one elsewhere.
   */
  private void admit(Context ctx) {
    if (state == State.DRAINING) ctx.header("Connection", "close");
    if (state == State.STARTING && !isProbe(ctx.path()) && !isPublic(ctx)) {
      ctx.header("Retry-After", "1");
      throw new ApiError(503, "the server is starting: the store's schema is being brought up to date");
    }
  }

  private static boolean isProbe(String path) {
    return path.equals("/health") || path.equals("/ready") || path.equals("/metrics");
  }

  /** 200 once serving with the store reachable; 503, saying why, while starting, draining, or cut off from the store. */
  private void ready(Context ctx, ObjectMapper json) {
    String status = switch (state) {
      case STARTING -> "starting";
      case DRAINING -> "draining";
      case SERVING -> store.reachable() ? "ready" : "store unreachable";
    };
    ctx.status(status.equals("ready") ? 200 : 503).json(json.createObjectNode().put("status", status));
  }

  private static void requireKey(Context ctx, String apiKey) {
    if (isPublic(ctx)) return;
    String key = ctx.header("wandb-api-key");
    String auth = ctx.header("Authorization");
    if (key == null && auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      try {
        String decoded = new String(Base64.getDecoder().decode(auth.substring(6).trim()), StandardCharsets.UTF_8);
        int colon = decoded.indexOf(':');
        key = colon >= 0 ? decoded.substring(colon + 1) : decoded;
      } catch (IllegalArgumentException e) {
        key = null;
      }
    }
    if (key == null || !java.security.MessageDigest.isEqual(
        key.getBytes(StandardCharsets.UTF_8), apiKey.getBytes(StandardCharsets.UTF_8))) {
      if (ctx.header("X-Requested-With") == null) ctx.header("WWW-Authenticate", "Basic realm=\"weft\"");
      throw new ApiError(401, "an API key is required: send Authorization: Basic base64(\"api:\" + KEY)"
          + " or the wandb-api-key header");
    }
  }

  /** The probes and the UI's own files carry no key; the UI sends it with each API call, Prometheus with its scrape. */
  private static boolean isPublic(Context ctx) {
    String path = ctx.path();
    if (path.equals("/health") || path.equals("/ready")) return true;
    if (ctx.method() != HandlerType.GET) return false;
    return path.equals("/") || path.equals("/index.html") || path.startsWith("/assets/") || path.startsWith("/webjars/");
  }

  private static void detail(Context ctx, int status, String detail) {
    ctx.status(status).json(java.util.Map.of("detail", detail));
  }

  public int port() {
    return app.port();
  }

  /**
   * Stops without losing or cutting off a request. {@code /ready} says draining (and for
   * {@code drainSeconds} the server goes on as before, while a load balancer notices); then the
   * listening socket closes, so new connections are refused before anything is sent on them.
   * Requests on connections already open are still served, each answer closing its connection,
   * until none has been in flight for a moment (at most 8 s); then Jetty stops, and the store
   * commits what is queued. A 2xx is sent only after its commit, so none is lost.
   */
  @Override
  public void close() {
    state = State.DRAINING;
    store.retention().close(); // between two chunks: the next start goes on from there
    if (runWatch != null) runWatch.close();
    if (artifactSweep != null) artifactSweep.close();
    if (webhooks != null) webhooks.close(); // what it has not sent waits in the outbox
    pause(options.drainSeconds() * 1000L);
    Server jetty = app.jettyServer().server();
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof AbstractConnector connector) connector.shutdown(); // stops accepting
    }
    long deadline = System.nanoTime() + STOP_TIMEOUT_MS * 1_000_000, quietSince = System.nanoTime();
    while (System.nanoTime() < deadline && System.nanoTime() - quietSince < 100_000_000L && !allClosed(jetty)) {
      if (inFlight.getRequestsActive() > 0) quietSince = System.nanoTime();
      pause(10);
    }
    app.stop();
    store.close();
    metrics.close();
  }

  private static boolean allClosed(Server jetty) {
    for (Connector c : jetty.getConnectors()) {
      if (c instanceof AbstractConnector connector && !connector.getConnectedEndPoints().isEmpty()) return false;
    }
    return true;
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
