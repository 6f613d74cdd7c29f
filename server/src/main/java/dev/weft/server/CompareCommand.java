package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.client.Links;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code compare}: a regression gate for CI, a candidate run's metrics against a baseline's. */
@Command(name = "compare", mixinStandardHelpOptions = true,
    description = "Print a candidate run's metrics beside a baseline's, with deltas; exit 1 when one got worse beyond"
        + " its tolerance. Which way is better goes by the metric's name (time, latency, duration, loss, error, fail,"
        + " cost, iteration: lower), as on the dashboard, unless a gate says.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:no metric regressed", "1:a metric regressed", "2:bad options, no such run, or no server"})
final class CompareCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--server", defaultValue = "http://127.0.0.1:6345", description = "The trace server (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--project", required = true, description = "entity/project")
  String project;

  @Option(names = "--baseline", required = true, description = "A run id or name, tag:T (the newest ended run tagged T), or eval:ID (an Evaluation.evaluate call).")
  String baseline;

  @Option(names = "--candidate", defaultValue = "latest", description = "A run id or name, or latest (the newest ended run but the baseline; default); eval:ID or eval:latest against an evaluation.")
  String candidate;

  @Option(names = "--metric", description = "A gate, NAME[:TOLERANCE[:higher|lower]]: pass_rate:0.02, fix_time_seconds:10%%, "
      + "score:0:higher. Repeat for more. Without any, every metric both runs have is gated at 0.")
  List<String> metrics = new ArrayList<>();

  @Option(names = "--json", description = "Print the comparison as JSON.")
  boolean asJson;

  @Option(names = "--api-key", description = "The server's API key (else WEFT_API_KEY).")
  String apiKey;

  @Override
  public Integer call() throws Exception {
    if (apiKey == null) apiKey = System.getenv("WEFT_API_KEY");
    ObjectNode ask = JSON.createObjectNode().put("project_id", project).put("baseline", baseline).put("candidate", candidate);
    metrics.forEach(ask.putArray("metrics")::add);
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.replaceAll("/+$", "") + "/runs/compare"))
        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ask.toString()));
    String authorization = Links.authorization(apiKey);
    if (authorization != null) request.header("Authorization", authorization);
    HttpResponse<String> answer;
    try {
      answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      System.err.println("compare: cannot reach " + server + ": " + e.getMessage());
      return 2;
    }
    if (answer.statusCode() != 200) {
      JsonNode detail = parse(answer.body()).path("detail");
      System.err.println("compare: " + (detail.isMissingNode() ? "HTTP " + answer.statusCode() + ": " + answer.body() : detail.asText()));
      return 2;
    }
    JsonNode result = JSON.readTree(answer.body());
    System.out.println(asJson ? result.toPrettyString() : table(result));
    return result.path("regressed").asBoolean() ? 1 : 0;
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  /** The comparison as a text table, then the verdict. */
  static String table(JsonNode r) {
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"metric", "baseline", "candidate", "delta", "better", "tolerance", "verdict"});
    for (JsonNode row : r.get("rows")) {
      lines.add(new String[] {row.get("metric").asText(), number(row.get("baseline")), number(row.get("candidate")),
          delta(row), row.get("better").asText(), row.path("tolerance").isNull() ? "-" : row.get("tolerance").asText(),
          row.get("verdict").asText().toUpperCase(Locale.ROOT)});
    }
    int[] width = new int[7];
    for (String[] l : lines) for (int i = 0; i < 7; i++) width[i] = Math.max(width[i], l[i].length());
    StringBuilder out = new StringBuilder()
        .append("baseline  ").append(run(r.get("baseline"))).append('\n')
        .append("candidate ").append(run(r.get("candidate"))).append("\n\n");
    for (String[] l : lines) {
      for (int i = 0; i < 7; i++) {
        out.append(i == 0 || i >= 4 ? String.format("%-" + width[i] + "s", l[i]) : String.format("%" + width[i] + "s", l[i]));
        out.append(i < 6 ? "  " : "\n");
      }
    }
    long regressed = 0;
    for (JsonNode row : r.get("rows")) if (row.get("verdict").asText().equals("regressed")) regressed++;
    return out.append(regressed == 0 ? "\nno metric regressed" : "\n" + regressed + " metric(s) regressed").toString();
  }

  private static String run(JsonNode run) {
    return run.get("name").asText() + " (" + run.get("id").asText() + ", " + run.get("state").asText() + ", "
        + run.get("started_at").asText() + ")";
  }

  private static String number(JsonNode n) {
    return n == null || n.isNull() ? "-" : String.format(Locale.ROOT, "%.6g", n.asDouble()).replaceFirst("\\.?0+(e|$)", "$1");
  }

  private static String delta(JsonNode row) {
    JsonNode d = row.get("delta");
    if (d == null || d.isNull()) return "-";
    double base = row.get("baseline").asDouble();
    String pct = base == 0 ? "" : String.format(Locale.ROOT, " (%+.0f%%)", d.asDouble() / Math.abs(base) * 100);
    return (d.asDouble() > 0 ? "+" : "") + number(d) + pct;
  }
}
