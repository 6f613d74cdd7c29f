package dev.weft.wire.client;

import java.io.IOException;
import java.util.List;

/**
 * What became of a request. {@link #of} is the one rule, for the agent and {@code sync} alike, of
 * what a trace server's answer means: which statuses are retried, which are kept for later, and
 * which refuse a request for good.
 */
public final class Outcome {
  public enum Kind {
    /** The server took it (2xx). */
    DELIVERED,
    /** Kept in the spool, to be sent later. */
    SPOOLED,
    /** Not now: unreachable, timed out, 408, 429 or 5xx. Retried, then kept. */
    RETRY_LATER,
    /** 413: too large; a request of several items goes again in smaller ones. */
    TOO_LARGE,
    /** 400 with {@code error_code CALLS_COMPLETE_MODE_REQUIRED}: the project takes only calls/complete. */
    CALLS_COMPLETE_REQUIRED,
    /** A gzip-compressed body refused (400, 415 or 422): it goes again uncompressed. */
    COMPRESSION_REFUSED,
    /** Any other 4xx: the server will not take it as it is. */
    REFUSED,
    /** Lost: neither delivered nor kept (the spool is full or off). */
    DROPPED
  }

  public static final String CALLS_COMPLETE_MODE_REQUIRED = "CALLS_COMPLETE_MODE_REQUIRED";
  private static final Outcome DELIVERED_ = new Outcome(Kind.DELIVERED, 200, "", 0);
  private static final Outcome SPOOLED_ = new Outcome(Kind.SPOOLED, 0, "kept in the spool", 0);

  public final Kind kind;
  /** The HTTP status, or 0 when there was no answer. */
  public final int status;
  /** Why, in words: the server's answer, or what went wrong. */
  public final String reason;
  /** Items (calls, or whole requests) this outcome lost. */
  public final long lost;

  private Outcome(Kind kind, int status, String reason, long lost) {
    this.kind = kind;
    this.status = status;
    this.reason = reason;
    this.lost = lost;
  }

  /** The server's answer to a request whose body was gzip-compressed or not. */
  public static Outcome of(int status, String answer, boolean compressed) {
    String text = answer == null ? "" : answer.length() > 300 ? answer.substring(0, 300) + "…" : answer;
    if (status / 100 == 2) return DELIVERED_;
    if (status == 408 || status == 429 || status >= 500) return new Outcome(Kind.RETRY_LATER, status, text, 0);
    if (status == 413) return new Outcome(Kind.TOO_LARGE, status, text, 0);
    // Before the compression rule: a server that read the body well enough to name the mode took the encoding.
    if (status == 400 && text.contains(CALLS_COMPLETE_MODE_REQUIRED)) {
      return new Outcome(Kind.CALLS_COMPLETE_REQUIRED, status, text, 0);
    }
    // A server that ignores Content-Encoding reads gzip as malformed JSON: 400, or 422 as FastAPI
    // answers; one that says so answers 415.
    if (compressed && (status == 400 || status == 415 || status == 422)) {
      return new Outcome(Kind.COMPRESSION_REFUSED, status, text, 0);
    }
    return new Outcome(Kind.REFUSED, status, text, 0);
  }

  public static Outcome unreachable(IOException e) {
    return new Outcome(Kind.RETRY_LATER, 0, "unreachable: " + e.getMessage(), 0);
  }

  public static Outcome delivered() {
    return DELIVERED_;
  }

  public static Outcome spooled() {
    return SPOOLED_;
  }

  public static Outcome dropped(String reason, long items) {
    return new Outcome(Kind.DROPPED, 0, reason, items);
  }

  public boolean is(Kind k) {
    return kind == k;
  }

  /** Taken by the server or kept for later: nothing lost. */
  public boolean kept() {
    return kind == Kind.DELIVERED || kind == Kind.SPOOLED;
  }

  /** This outcome as the final word on {@code request}: what it did not keep counts as lost. */
  public Outcome settle(Request request) {
    if (kept() || kind == Kind.RETRY_LATER || lost > 0) return this;
    return new Outcome(kind, status, reason, request.items());
  }

  /**
   * The outcome of a request sent as several parts: the first part still to retry decides (the
   * whole is tried again), else the first refused or dropped one (with all parts' losses), else
   * spooled if any part was, else delivered.
   */
  public static Outcome combine(List<Outcome> parts) {
    Outcome worst = DELIVERED_;
    long lost = 0;
    for (Outcome o : parts) {
      lost += o.lost;
      if (o.kind == Kind.RETRY_LATER) return o;
      if (!o.kept() && worst.kept() || o.kind == Kind.SPOOLED && worst.kind == Kind.DELIVERED) worst = o;
    }
    return lost == worst.lost ? worst : new Outcome(worst.kind, worst.status, worst.reason, lost);
  }

  @Override
  public String toString() {
    return kind + (status != 0 ? " (" + status + ")" : "") + (reason.isEmpty() ? "" : ": " + reason);
  }
}
