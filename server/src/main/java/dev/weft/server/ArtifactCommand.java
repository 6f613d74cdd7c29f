package dev.weft.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.artifact.ArtifactClient;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code artifact get|ls}: artifacts on a Weft server, over its HTTP API (docs/server-api.md, "Artifacts"). */
@Command(name = "artifact", mixinStandardHelpOptions = true, description = "Download and list artifacts on a Weft server.",
    subcommands = {ArtifactCommand.Get.class, ArtifactCommand.Ls.class})
final class ArtifactCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  /** Where the server is and which project. */
  static final class Target {
    @Option(names = "--server", defaultValue = "http://127.0.0.1:6345", description = "Server URL (default: ${DEFAULT-VALUE}).")
    String server;

    @Option(names = "--project", defaultValue = "weft/default", description = "Project, entity/project (default: ${DEFAULT-VALUE}).")
    String project;

    @Option(names = "--api-key", description = "API key for the server; else WEFT_API_KEY, else WANDB_API_KEY.")
    String apiKey;

    ArtifactClient client() {
      String key = apiKey != null ? apiKey : System.getenv("WEFT_API_KEY") != null ? System.getenv("WEFT_API_KEY")
          : System.getenv("WANDB_API_KEY");
      return new ArtifactClient(new JdkArtifactHttp(server, key));
    }
  }

  @Command(name = "get", mixinStandardHelpOptions = true,
      description = "Download a version's files into a directory, each checked against its SHA-256.",
      exitCodeListHeading = "Exit codes:%n",
      exitCodeList = {"0:downloaded", "1:the server refused (no such artifact or version) or is unreachable", "2:bad arguments"})
  static final class Get implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(paramLabel = "NAME[:VERSION]", description = "VERSION: an alias (default latest), vN, or a digest (8 or more of its first hex digits).")
    String ref;

    @Option(names = "--to", required = true, description = "Directory to put the files in (created if needed).")
    Path to;

    @Override
    public Integer call() {
      ArtifactClient.Ref r;
      try {
        r = ArtifactClient.Ref.parse(ref);
      } catch (IllegalArgumentException e) {
        System.err.println(e.getMessage());
        return 2;
      }
      try {
        ArtifactClient client = target.client();
        JsonNode v = client.read(target.project, r, null);
        client.download(v, to);
        System.out.println("downloaded " + v.path("name").asText() + ":" + v.path("version").asText() + " ("
            + v.path("file_count").asInt() + " file(s), " + v.path("size").asLong() + " bytes, digest "
            + v.path("digest").asText() + ") to " + to);
        return 0;
      } catch (ArtifactClient.Refused e) {
        System.err.println("the server refused: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        System.err.println("could not download from " + target.server + ": " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true,
      description = "List a project's artifacts, or with NAME that artifact's versions.")
  static final class Ls implements Callable<Integer> {
    @Mixin Target target;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "An artifact: list its versions.")
    String name;

    @Option(names = "--json", description = "Print the server's answer as JSON.")
    boolean json;

    @Override
    public Integer call() {
      try {
        ArtifactClient client = target.client();
        ObjectNode body = JSON.createObjectNode().put("project_id", target.project);
        if (name != null) body.put("name", name);
        JsonNode answer = client.post(name == null ? "/artifacts/query" : "/artifact/versions", body);
        if (json) {
          System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
          return 0;
        }
        if (name == null) {
          System.out.printf("%-32s %-12s %8s %-8s %14s  %s%n", "NAME", "TYPE", "VERSIONS", "LATEST", "SIZE", "DIGEST");
          for (JsonNode a : answer.path("artifacts")) {
            System.out.printf("%-32s %-12s %8d %-8s %14d  %s%n", a.path("name").asText(), a.path("type").asText(),
                a.path("versions").asInt(), a.at("/latest/version").asText(), a.at("/latest/size").asLong(),
                a.at("/latest/digest").asText().substring(0, 12));
          }
        } else {
          System.out.printf("%-8s %-20s %6s %14s  %-12s %-24s %s%n", "VERSION", "ALIASES", "FILES", "SIZE", "DIGEST", "CREATED", "RUN");
          for (JsonNode v : answer.path("versions")) {
            StringBuilder aliases = new StringBuilder();
            for (JsonNode a : v.path("aliases")) aliases.append(aliases.length() > 0 ? "," : "").append(a.asText());
            System.out.printf("%-8s %-20s %6d %14d  %-12s %-24s %s%n", v.path("version").asText(), aliases,
                v.path("file_count").asInt(), v.path("size").asLong(), v.path("digest").asText().substring(0, 12),
                v.path("created_at").asText(), v.path("created_by_run").asText(""));
          }
        }
        return 0;
      } catch (ArtifactClient.Refused e) {
        System.err.println("the server refused: " + e.getMessage());
        return 1;
      } catch (IOException e) {
        System.err.println("could not reach " + target.server + ": " + e.getMessage());
        return 1;
      }
    }
  }
}
