package dev.weft.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import dev.weft.wire.SpoolFiles;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sync}: uploads what an agent kept in its spool while the trace server was unreachable,
 * in the order it was written, and removes each file the server acknowledged.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Upload an agent's spool (weft.spool.dir) to a trace server, removing what it acknowledges.")
final class Sync implements Callable<Integer> {
  @Option(names = "--spool", required = true, description = "The spool directory (the agent's weft.spool.dir).")
  Path spool;

  @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:6345", description = "Trace server URL (default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--api-key", description = "API key for the server; else WANDB_API_KEY.")
  String apiKey;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(spool)) {
      System.err.println("no spool at " + spool);
      return 2;
    }
    if (apiKey == null) apiKey = System.getenv("WANDB_API_KEY");
    List<Path> files = new ArrayList<>();
    try (Stream<Path> list = Files.list(spool)) {
      list.filter(p -> p.getFileName().toString().endsWith(SpoolFiles.SUFFIX)).sorted().forEach(files::add);
    }
    if (files.isEmpty()) {
      System.out.println("nothing to upload in " + spool);
      return 0;
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = endpoint.replaceAll("/+$", "");
    int uploaded = 0;
    int rejected = 0;
    boolean plain = false; // once the server has refused a compressed body and taken it uncompressed
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Uploading").setInitialMax(files.size())
        .setUnit(" files", 1).build()) {
      for (Path f : files) {
        String route = SpoolFiles.path(f.getFileName().toString());
        HttpResponse<String> r;
        try {
          r = http.send(upload(base + route, f, !plain), HttpResponse.BodyHandlers.ofString());
          if (!plain && SpoolFiles.refusedCompressed(r.statusCode())) {
            HttpResponse<String> again = http.send(upload(base + route, f, false), HttpResponse.BodyHandlers.ofString());
            if (again.statusCode() / 100 == 2) {
              plain = true;
              System.err.println("\nthe server refused a gzip-compressed upload (" + r.statusCode()
                  + ") and took it uncompressed; uploading uncompressed from now on");
            }
            r = again;
          }
        } catch (java.io.IOException e) {
          bar.close();
          System.err.println("the server at " + base + " is unreachable (" + e.getMessage() + "); "
              + (files.size() - uploaded - rejected) + " file(s) left in " + spool);
          return 1;
        }
        if (r.statusCode() / 100 == 2) {
          Files.delete(f);
          uploaded++;
        } else if (r.statusCode() == 429 || r.statusCode() >= 500) {
          bar.close();
          System.err.println("the server answered " + r.statusCode() + " for " + f.getFileName() + "; "
              + (files.size() - uploaded - rejected) + " file(s) left in " + spool + "; try again later");
          return 1;
        } else {
          Path dir = Files.createDirectories(spool.resolve("rejected"));
          Files.move(f, dir.resolve(f.getFileName()));
          rejected++;
          System.err.println("\nthe server refused " + f.getFileName() + " (" + r.statusCode() + "): " + r.body()
              + "; moved to " + dir);
        }
        bar.step();
      }
    }
    System.out.println("uploaded " + uploaded + " file(s)" + (rejected > 0 ? ", " + rejected + " refused" : ""));
    return rejected > 0 ? 1 : 0;
  }

  /** A spooled file's request: as stored (gzip-compressed), or decompressed. */
  private HttpRequest upload(String url, Path file, boolean compressed) throws java.io.IOException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json");
    if (compressed) {
      req.header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofFile(file));
    } else {
      req.POST(HttpRequest.BodyPublishers.ofByteArray(SpoolFiles.uncompressed(Files.readAllBytes(file))));
    }
    if (apiKey != null && !apiKey.isBlank()) {
      req.header("Authorization", "Basic " + Base64.getEncoder()
          .encodeToString(("api:" + apiKey).getBytes(StandardCharsets.UTF_8)));
    }
    return req.build();
  }

}
