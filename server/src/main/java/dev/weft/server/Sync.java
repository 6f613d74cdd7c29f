package dev.weft.server;

import dev.weft.wire.SpoolFiles;
import dev.weft.wire.artifact.ArtifactClient;
import dev.weft.wire.artifact.ArtifactSpool;
import dev.weft.wire.client.Client;
import dev.weft.wire.client.Link;
import dev.weft.wire.client.Links;
import dev.weft.wire.client.Notes;
import dev.weft.wire.client.Outcome;
import dev.weft.wire.client.ServerState;
import dev.weft.wire.client.SpoolUpload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sync}: uploads what an agent kept in its spool while the trace server was unreachable,
 * through the same client chain and upload loop as the agent's own upload at its next start.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
    description = "Upload an agent's spool (weft.spool.dir) to a trace server, oldest file first, removing what it"
        + " acknowledges and moving what it refuses to rejected/.",
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:everything was uploaded", "1:a file was refused, or files are left for later",
        "2:there is no such spool directory"})
final class Sync implements Callable<Integer> {
  /** The progress bar draws on stderr too: a note starts on a line of its own. */
  private static final Notes NOTES = new Notes() {
    @Override
    public void info(String message) {
      System.err.println("\n" + message);
    }

    @Override
    public void warn(String message) {
      info(message);
    }
  };

  @Option(names = "--spool", required = true, description = "The spool directory (the agent's weft.spool.dir).")
  Path spool;

  @Option(names = "--endpoint", defaultValue = "http://127.0.0.1:6345", description = "Trace server URL (default: ${DEFAULT-VALUE}).")
  String endpoint;

  @Option(names = "--api-key", description = "API key for the server; else WANDB_API_KEY.")
  String apiKey;

  @Option(names = "--calls-complete", description = "Send calls in the calls_complete form from the start, as"
      + " hosted Weave projects in calls_complete mode take them; without it, a project switches when the server asks.")
  boolean callsComplete;

  @Override
  public Integer call() throws IOException {
    if (!Files.isDirectory(spool)) {
      System.err.println("no spool at " + spool);
      return 2;
    }
    if (apiKey == null) apiKey = System.getenv("WANDB_API_KEY");
    String base = endpoint.replaceAll("/+$", "");
    Integer artifacts = uploadArtifacts(base);
    if (artifacts != null && artifacts == STOPPED) return 1;
    int files = SpoolFiles.list(spool).size();
    if (files == 0) {
      System.out.println(artifacts == null ? "nothing to upload in " + spool : "no calls or runs to upload in " + spool);
      return artifacts == null ? 0 : artifacts;
    }
    SpoolUpload.Result r;
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName("Uploading").setInitialMax(files)
        .setUnit(" files", 1).build()) {
      r = SpoolUpload.run(spool, client(base), NOTES, (file, outcome) -> bar.step());
    }
    if (r.stoppedBy != null) {
      System.err.println("the server at " + base + " " + why(r.stoppedBy) + "; " + r.left + " file(s) left in "
          + spool + "; try again later");
      return 1;
    }
    System.out.println("uploaded " + r.uploaded + " file(s)" + (r.rejected > 0 ? ", " + r.rejected + " refused" : ""));
    return r.rejected > 0 || artifacts != null && artifacts != 0 ? 1 : 0;
  }

  /**
   * Uploads the spool's artifacts (see {@link ArtifactSpool}) before its requests; null when it
   * has none, else this command's exit code so far.
   */
  private Integer uploadArtifacts(String base) throws IOException {
    ArtifactSpool artifacts = new ArtifactSpool(spool);
    if (artifacts.isEmpty()) return null;
    ArtifactSpool.Result r = artifacts.upload(new ArtifactClient(new JdkArtifactHttp(base, apiKey)), NOTES);
    if (r.stoppedBy != null) {
      System.err.println("the server at " + base + " could not take artifacts (" + r.stoppedBy + "); " + r.left
          + " left in " + artifacts.dir() + "; try again later");
      return STOPPED;
    }
    System.out.println("uploaded " + r.uploaded + " artifact log(s) and use(s)" + (r.rejected > 0 ? ", " + r.rejected + " refused" : ""));
    return r.rejected > 0 ? 1 : 0;
  }

  /** {@link #uploadArtifacts}: the server could not be reached, so the rest waits too. */
  private static final int STOPPED = -1;

  private Client client(String base) {
    // Spooled files are gzip-compressed already: they go as they are unless the server refuses that.
    ServerState state = new ServerState(true);
    List<Link> links = new ArrayList<>();
    if (callsComplete) links.add(callsCompleteFromTheStart(state));
    links.add(Links.callsComplete(state, NOTES));
    links.add(Links.splitTooLarge(state, NOTES));
    links.add(Links.gzip(state, base, "uploading", NOTES));
    links.add(Links.auth(apiKey));
    return new Client(links, new HttpTransport(base));
  }

  /** Each project is put in calls_complete mode as its first file goes, so none is sent the legacy way. */
  private static Link callsCompleteFromTheStart(ServerState state) {
    return (request, next) -> {
      state.useCallsComplete(request.project());
      return next.send(request);
    };
  }

  /** Why the upload stopped: the server is away, or said to come back later. */
  private static String why(Outcome o) {
    if (o.status == 0) return "is unreachable (" + o.reason.replaceFirst("^unreachable: ", "") + ")";
    return "answered " + o.status + (o.reason.isEmpty() ? "" : " (" + o.reason + ")");
  }
}
