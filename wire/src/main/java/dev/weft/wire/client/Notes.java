package dev.weft.wire.client;

/** Where links say what they did that a user should know: the agent's log, or sync's stderr. */
public interface Notes {
  void info(String message);

  void warn(String message);
}
