package dev.weft.wire;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * What counts as this machine: {@code localhost}, or a loopback address written as an IP literal.
 * Never a name lookup, so {@code 127.example.com} is not this machine, and asking is instant.
 */
public final class Loopback {
  private Loopback() {}

  /** A host name or IP literal, IPv6 with or without brackets. */
  public static boolean isHost(String host) {
    if (host == null || host.isEmpty()) return false;
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    if (h.equalsIgnoreCase("localhost")) return true;
    if (!h.contains(":") && !h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) return false; // a name: not looked up
    try {
      return InetAddress.getByName(h).isLoopbackAddress(); // an IP literal is parsed, not resolved
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The host of an http(s) URL; false when the URL does not parse. */
  public static boolean isUrl(String url) {
    try {
      return isHost(URI.create(url).getHost());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
