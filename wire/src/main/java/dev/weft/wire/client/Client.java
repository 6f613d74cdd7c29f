package dev.weft.wire.client;

import java.io.IOException;
import java.util.List;

/** A chain of {@link Link}s ending in a {@link Transport}: what sends every request to a trace server. */
public final class Client {
  private final List<Link> links;
  private final Transport transport;

  public Client(List<Link> links, Transport transport) {
    this.links = List.copyOf(links);
    this.transport = transport;
  }

  /** Sends {@code request} through every link; the outcome counts what it lost. */
  public Outcome send(Request request) throws IOException {
    return from(0).send(request).settle(request);
  }

  private Link.Next from(int index) {
    if (index == links.size()) return r -> transport.post(r.path(), r.body(), r.headers());
    return r -> links.get(index).send(r, from(index + 1));
  }
}
