package dev.weft.wire.client;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a trace server has shown it takes, learned from its answers and shared by every request to
 * it (live ones and spooled ones): compressed bodies or not, the largest request, and which
 * projects take calls only through calls/complete.
 */
public final class ServerState {
  /** A request stops taking calls past this size (before compression) until the server takes less. */
  public static final int MAX_REQUEST_BYTES = 8 << 20;

  private volatile boolean compress;
  private volatile int maxRequestBytes = MAX_REQUEST_BYTES;
  private final Set<String> callsComplete = ConcurrentHashMap.newKeySet();

  /** @param compress whether to gzip bodies to begin with (not to a server on this machine) */
  public ServerState(boolean compress) {
    this.compress = compress;
  }

  public boolean compress() {
    return compress;
  }

  void stopCompressing() {
    compress = false;
  }

  public int maxRequestBytes() {
    return maxRequestBytes;
  }

  /** Lowers the largest request to {@code bytes}; returns whether that was lower than before. */
  boolean limitRequestBytes(int bytes) {
    if (bytes >= maxRequestBytes) return false;
    maxRequestBytes = Math.max(1, bytes);
    return true;
  }

  public boolean callsComplete(String project) {
    return project != null && callsComplete.contains(project);
  }

  /** From now on, calls of {@code project} go through calls/complete; returns whether that is new. */
  public boolean useCallsComplete(String project) {
    return project != null && callsComplete.add(project);
  }
}
