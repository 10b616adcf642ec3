package io.herald.core.event;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What an event carries beside its type and payload, as typed fields that every engine keeps and delivers with it
 * (never packed into the type and parsed back): the rooms of its channel it is for, and the broker record it came
 * from.
 *
 * @param rooms  the rooms it is for within its channel; empty: the channel's every subscriber
 * @param origin the Kafka record it was made from, or null
 */
public record EventMeta(List<String> rooms, Origin origin) {
  /** No rooms, no origin: most events. */
  public static final EventMeta NONE = new EventMeta(List.of(), null);

  /** A Kafka record: where a consumer would resume after it. */
  public record Origin(String topic, int partition, long offset) {
    public Origin {
      Objects.requireNonNull(topic, "topic");
    }
  }

  public EventMeta {
    rooms = List.copyOf(rooms);
  }

  public static EventMeta rooms(List<String> rooms) {
    return rooms.isEmpty() ? NONE : new EventMeta(rooms, null);
  }

  public EventMeta withOrigin(Origin o) {
    return new EventMeta(rooms, o);
  }

  public boolean none() {
    return rooms.isEmpty() && origin == null;
  }

  /**
   * As one string, for stores that keep an event as text or bytes (the file journal, Redis): empty for
   * {@link #NONE}; else the origin ({@code partition offset topic}, or nothing) on the first line and a room on each
   * further line, with {@code \} and line breaks escaped, so any room name survives.
   */
  public String encode() {
    if (none()) return "";
    StringBuilder b = new StringBuilder();
    if (origin != null) b.append(origin.partition()).append(' ').append(origin.offset()).append(' ').append(escape(origin.topic()));
    for (String r : rooms) b.append('\n').append(escape(r));
    return b.toString();
  }

  /** The inverse of {@link #encode}; throws IllegalArgumentException on text it did not write. */
  public static EventMeta decode(String s) {
    if (s.isEmpty()) return NONE;
    String[] lines = s.split("\n", -1);
    Origin origin = null;
    if (!lines[0].isEmpty()) {
      String[] p = lines[0].split(" ", 3);
      if (p.length != 3) throw new IllegalArgumentException("not an encoded event origin: " + lines[0]);
      origin = new Origin(unescape(p[2]), Integer.parseInt(p[0]), Long.parseLong(p[1]));
    }
    List<String> rooms = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) rooms.add(unescape(lines[i]));
    return new EventMeta(rooms, origin);
  }

  private static String escape(String s) {
    if (s.indexOf('\\') < 0 && s.indexOf('\n') < 0) return s;
    return s.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static String unescape(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        b.append(n == 'n' ? '\n' : n);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
