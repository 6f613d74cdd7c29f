package dev.weft.server;

import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * The server's own metrics, served on {@code GET /metrics} in Prometheus' text format: requests
 * by route and status with latency histograms, the JVM's; the store adds ingest, its writer,
 * its size and retention to the same registry.
 */
public final class ServerMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  public ServerMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The registry in Prometheus' text format (version 0.0.4). */
  String scrape() {
    return registry.scrape();
  }

  /** One answered request; the route is its pattern ({@code /v2/{entity}/{project}/calls/complete}), never its path. */
  void request(Context ctx, float millis) {
    Timer.builder("http.server.requests").description("HTTP requests answered")
        .tag("method", ctx.method().name()).tag("route", route(ctx)).tag("status", String.valueOf(ctx.statusCode()))
        .publishPercentileHistogram()
        .register(registry).record((long) (millis * 1_000_000), TimeUnit.NANOSECONDS);
  }

  /** A route's pattern keeps the series few; static files and unknown paths share one name each. */
  private static String route(Context ctx) {
    String path;
    try {
      path = ctx.endpointHandlerPath();
    } catch (RuntimeException e) {
      path = null;
    }
    if (path != null && !path.isEmpty() && !path.equals("*")) return path;
    return ctx.statusCode() == 404 ? "unmatched" : "static";
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
