package dev.weft.server.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.server.request.Fields;
import dev.weft.server.store.CallFilter;
import dev.weft.server.store.RunStore;
import dev.weft.server.store.Store;
import dev.weft.server.store.StoredCall;
import dev.weft.server.store.WebhookStore;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What happens to runs, as webhook deliveries: a run that ends ({@code run.finished},
 * {@code run.failed}, {@code run.crashed}) and a metric that crosses a threshold
 * ({@code metric:NAME<VALUE}, {@code metric:NAME>VALUE}), each once per run and webhook. They go to
 * the store's outbox, from which a sender delivers them; nothing here waits for a receiver.
 */
public final class RunEvents {
  public static final List<String> RUN_ENDS = List.of("run.finished", "run.failed", "run.crashed");
  private static final Pattern THRESHOLD = Pattern.compile("metric:([^<>]+)([<>])(-?[0-9.]+(?:[eE][-+]?[0-9]+)?)");
  /** API webhooks are read again after this long: servers that share a database see each other's. */
  private static final long HOOKS_TTL_NANOS = 2_000_000_000L;

  private final RunStore runs;
  private final Store calls;
  private final WebhookStore store;
  private final List<WebhookStore.Webhook> configured;
  private final java.util.function.Supplier<String> publicUrl;
  private final ObjectMapper json = new ObjectMapper();
  private volatile List<WebhookStore.Webhook> apiHooks;
  private volatile long apiHooksRead;

  /**
   * @param configured the webhooks given to {@code serve}
   * @param publicUrl where users reach this server, for the payload's links
   */
  public RunEvents(RunStore runs, Store calls, WebhookStore store, List<WebhookStore.Webhook> configured,
      java.util.function.Supplier<String> publicUrl) {
    this.runs = runs;
    this.calls = calls;
    this.store = store;
    this.configured = List.copyOf(configured);
    this.publicUrl = publicUrl;
  }

  /** Why {@code event} is not one webhooks take, or null when it is. */
  public static String invalid(String event) {
    if (RUN_ENDS.contains(event) || THRESHOLD.matcher(event).matches()) return null;
    return "unknown event '" + event + "': one of run.finished, run.failed, run.crashed, metric:NAME<VALUE, metric:NAME>VALUE";
  }

  /** Why {@code url} cannot receive webhooks, or null. */
  public static String invalidUrl(String url) {
    try {
      URI u = URI.create(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) return null;
    } catch (IllegalArgumentException e) {
      // below
    }
    return "a webhook URL is http:// or https:// with a host; got '" + url + "'";
  }

  /** Every webhook: those given to {@code serve}, then those set through the API. */
  public List<WebhookStore.Webhook> hooks() {
    long now = System.nanoTime();
    if (apiHooks == null || now - apiHooksRead > HOOKS_TTL_NANOS) {
      apiHooks = store.list();
      apiHooksRead = now;
    }
    List<WebhookStore.Webhook> all = new ArrayList<>(configured);
    all.addAll(apiHooks);
    return all;
  }

  /** Forgets the API webhooks read, after one is created or deleted here. */
  public void changed() {
    apiHooks = null;
  }

  /** The run ended in {@code state}: finished, failed or crashed. */
  public void ended(String project, String runId, String state) {
    String event = "run." + state;
    List<WebhookStore.Webhook> to = hooks().stream().filter(h -> applies(h, project) && h.events().contains(event)).toList();
    if (to.isEmpty()) return;
    runs.readRun(project, runId).ifPresent(run -> {
      for (WebhookStore.Webhook h : to) enqueue(h, event, run);
    });
  }

  /** Metrics were logged; {@code values}: each one's newest value in what was logged. */
  public void logged(String project, String runId, Map<String, Double> values) {
    RunStore.Run run = null;
    for (WebhookStore.Webhook h : hooks()) {
      if (!applies(h, project)) continue;
      for (String event : h.events()) {
        Matcher m = THRESHOLD.matcher(event);
        if (!m.matches()) continue;
        Double v = values.get(m.group(1));
        double limit = Double.parseDouble(m.group(3));
        if (v == null || !(m.group(2).equals("<") ? v < limit : v > limit)) continue;
        if (run == null) run = runs.readRun(project, runId).orElse(null);
        if (run != null) enqueue(h, event, run);
      }
    }
  }

  private static boolean applies(WebhookStore.Webhook h, String project) {
    return h.projectId() == null || h.projectId().equals(project);
  }

  private void enqueue(WebhookStore.Webhook h, String event, RunStore.Run run) {
    long now = System.currentTimeMillis() * 1000;
    store.enqueue(new WebhookStore.Delivery(UUID.randomUUID().toString(), h.id(), h.url(), event, run.projectId(),
        run.id(), payload(event, run), "pending", 0, now, null, null, now, null));
  }

  /** The JSON a receiver gets: the event, the run with its metrics, and links to it. */
  String payload(String event, RunStore.Run run) {
    ObjectNode out = json.createObjectNode().put("event", event).put("project_id", run.projectId());
    ObjectNode r = out.putObject("run").put("id", run.id()).put("name", run.name()).put("state", run.state())
        .put("started_at", Fields.iso(run.startedAt())).put("ended_at", run.endedAt() == null ? null : Fields.iso(run.endedAt()));
    ObjectNode metrics = r.putObject("metrics");
    runs.latestMetrics(run.projectId(), List.of(run.id())).getOrDefault(run.id(), Map.of()).forEach(metrics::put);
    try {
      JsonNode summary = json.readTree(run.summary());
      summary.fields().forEachRemaining(e -> {
        if (e.getValue().isNumber() && !metrics.has(e.getKey())) metrics.set(e.getKey(), e.getValue());
      });
    } catch (IOException e) {
      // stored as a JSON object: not reached
    }
    String project = publicUrl.get().replaceAll("/+$", "") + "/#/" + run.projectId();
    ObjectNode links = out.putObject("links");
    links.put("dashboard", project + "/dashboard?run=" + encode(run.id()));
    links.put("calls", project + "/calls?run=" + encode(run.projectId() + "/" + run.id()));
    StoredCall[] latest = new StoredCall[1];
    calls.scan(new CallFilter(run.projectId(), null, null, null, null, null, null, null, List.of(run.id()), true, null, null),
        List.of(new Store.Order("started_at", true)), 1L, 0, c -> {
          latest[0] = c;
          return false;
        });
    links.put("trace", latest[0] == null ? null : project + "/traces/" + latest[0].traceId());
    return out.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
