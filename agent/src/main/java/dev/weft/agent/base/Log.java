package dev.weft.agent.base;

import java.util.Locale;

/**
 * The agent's own log, on stderr with a {@code [weft]} prefix. No logging framework: the agent
 * must not touch the app's logging setup.
 */
public final class Log {
  private static final int DEBUG = 0, INFO = 1, WARN = 2, OFF = 3;
  private static volatile int level = INFO;

  private Log() {}

  public static void setLevel(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "debug": level = DEBUG; break;
      case "warn": level = WARN; break;
      case "off": level = OFF; break;
      default: level = INFO;
    }
  }

  public static boolean debugEnabled() {
    return level <= DEBUG;
  }

  public static void debug(String message) {
    if (level <= DEBUG) print("debug", message);
  }

  public static void info(String message) {
    if (level <= INFO) print("info", message);
  }

  public static void warn(String message) {
    if (level <= WARN) print("warn", message);
  }

  /** Why the agent stops the app: printed whatever the level, since the app does not run. */
  public static void error(String message) {
    print("error", message);
  }

  private static void print(String lvl, String message) {
    System.err.println("[weft] " + lvl + ": " + message);
  }
}
