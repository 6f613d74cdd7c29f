package dev.weft.agent.llm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Server-sent events, as providers stream responses: each event's name and its data. */
final class Sse {
  /** One event: its {@code event:} name (null when none) and its {@code data:} lines joined. */
  static final class Event {
    final String name;
    final String data;

    Event(String name, String data) {
      this.name = name;
      this.data = data;
    }
  }

  private Sse() {}

  /** The events of a stream, in order; a last one cut off without its blank line is kept too. */
  static List<Event> parse(byte[] stream) {
    List<Event> events = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    for (String line : new String(stream, StandardCharsets.UTF_8).split("\r?\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) events.add(new Event(name, data.toString()));
        name = null;
        data = null;
      } else if (line.startsWith("data:")) {
        String d = line.substring(line.startsWith("data: ") ? 6 : 5);
        data = data == null ? new StringBuilder(d) : data.append('\n').append(d);
      } else if (line.startsWith("event:")) {
        name = line.substring(6).trim();
      }
    }
    if (data != null) events.add(new Event(name, data.toString()));
    return events;
  }
}
