package dev.weft.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.server.http.CallRoutes;
import dev.weft.server.http.ObjectRoutes;
import dev.weft.server.http.RunRoutes;
import dev.weft.server.otel.OtelRoutes;
import dev.weft.server.request.ApiError;
import dev.weft.server.request.Bodies;
import dev.weft.server.store.JdbcStore;
import dev.weft.server.store.StoreException;
import dev.weft.wire.Loopback;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: every route family registered here, errors answered as Weave answers them
 * ({@code {"detail": …}}), and the API key checked before any route runs.
 */
public final class WeftServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WeftServer.class);

  /** What {@code serve} was asked for. */
  public record Options(String host, int port, String apiKey, long maxBodyBytes) {}

  private final Javalin app;
  private final JdbcStore store;

  private WeftServer(Javalin app, JdbcStore store) {
    this.app = app;
    this.store = store;
  }

  public static WeftServer start(Options options, JdbcStore store) {
    ObjectMapper json = new ObjectMapper();
    Bodies bodies = new Bodies(json, options.maxBodyBytes());
    Javalin app = Javalin.create(cfg -> {
      cfg.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(json, false));
      cfg.http.maxRequestSize = options.maxBodyBytes();
      cfg.startupWatcherEnabled = false;
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
    app.get("/health", ctx -> ctx.json(json.createObjectNode().put("status", "ok")));
    app.get("/server_info", ctx -> ctx.json(json.createObjectNode()
        .put("min_required_weave_python_version", "0.0.0").put("server", "weft")));
    new CallRoutes(store.calls(), json, bodies).register(app);
    new ObjectRoutes(store.objects(), json, bodies).register(app);
    new OtelRoutes(store.calls(), store.objects(), json, bodies).register(app);
    new RunRoutes(store.runs(), json, bodies).register(app);

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
    app.start(options.host(), options.port());
    return new WeftServer(app, store);
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

  /** Liveness probes and the UI's own files carry no key; the UI sends it with each API call. */
  private static boolean isPublic(Context ctx) {
    String path = ctx.path();
    if (path.equals("/health")) return true;
    if (ctx.method() != HandlerType.GET) return false;
    return path.equals("/") || path.equals("/index.html") || path.startsWith("/assets/") || path.startsWith("/webjars/");
  }

  private static void detail(Context ctx, int status, String detail) {
    ctx.status(status).json(java.util.Map.of("detail", detail));
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    store.close();
  }
}
