package dev.weft.agent.export.weave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.agent.run.RunState;
import java.io.IOException;
import java.util.Map;

/**
 * {@code weft.resume}, asked of the server before the app runs, as W&B's {@code wandb.init} does:
 * whether the run {@code weft.run.id} names exists, and where its steps are.
 */
final class ResumeCheck {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ResumeCheck() {}

  /** The run cannot start as asked; the message says why and what to do. */
  static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * The run's last step (-1 when it has none or does not exist yet), after which this session's
   * steps go on; null when the server could not be asked (the run then starts at step 0, and the
   * server refuses points behind the run's last step).
   */
  static Long lastStep(OkHttpTransport http, String authorization, String project, RunState run) throws Refused {
    JsonNode known;
    try {
      byte[] ask = JSON.writeValueAsBytes(Map.of("project_id", project, "id", run.id));
      known = JSON.readTree(http.ask("/run/read", ask, authorization)).path("run");
    } catch (IOException e) {
      return null;
    }
    boolean exists = known.isObject();
    if (exists && run.resume.equals("never")) {
      throw new Refused("run " + run.id + " exists in " + project + ", and weft.resume is never: set weft.resume=allow"
          + " to go on with it, or give another weft.run.id");
    }
    if (!exists && run.resume.equals("must")) {
      throw new Refused("no run " + run.id + " in " + project + " to resume, and weft.resume is must: check weft.run.id"
          + " and weft.project, or set weft.resume=allow to start it");
    }
    return exists ? known.path("last_step").asLong(-1) : -1L;
  }
}
