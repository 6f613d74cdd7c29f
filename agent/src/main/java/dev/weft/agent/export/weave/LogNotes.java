package dev.weft.agent.export.weave;

import dev.weft.agent.base.Log;
import dev.weft.wire.client.Notes;

/** The wire client's notes, in the agent's own log. */
final class LogNotes implements Notes {
  static final Notes LOG = new LogNotes();

  private LogNotes() {}

  @Override
  public void info(String message) {
    Log.info(message);
  }

  @Override
  public void warn(String message) {
    Log.warn(message);
  }
}
