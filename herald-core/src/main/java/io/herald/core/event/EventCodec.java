package io.herald.core.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one text form of an event and its metadata that engines put on the wire and in their stores.
 * Every layout is a few decimal numbers, one a line, then the type, the metadata and the data back
 * to back, cut by their lengths in UTF-16 units (Java's): those three may hold line breaks and any
 * character, so no delimiter could separate them.
 *
 * <ul>
 *   <li>{@link #encodeMeta metadata}: empty for {@link EventMeta#NONE}; else the origin ({@code
 *       partition offset topic}, or nothing) on the first line and a room on each further line,
 *       {@code \} and line breaks escaped. The file journal and the Redis stream (its field {@code
 *       m}) keep it as it is.
 *   <li>{@link #encodeLive live}: {@code seq\nprev\nms\n<type length>[:<meta
 *       length>]\n<type><meta><data>}, the Redis engine's pub/sub message (written by its publish
 *       script, which must stay byte for byte the same); the meta length only when there is a meta,
 *       so an event without one is exactly what Herald sent before metadata.
 *   <li>{@link #encodeBody body}: {@code ms\n<type length>\n<meta length>\n<type><meta><data>} in
 *       UTF-8, a JetStream message (sequence and channel are the stream's own).
 * </ul>
 *
 * <p>Decoding text it did not write (another program on the subject, a corrupt entry) fails with
 * {@link IllegalArgumentException} and nothing else, in time linear in its length. Text is UTF-8
 * where it becomes bytes, so a lone surrogate (which is no Unicode) comes back as {@code ?}.
 */
public final class EventCodec {
  private EventCodec() {}

  /**
   * A live message: the event and the sequence before it on its channel (0 when it is the channel's
   * first).
   */
  public record Live(Event event, long prev) {}

  public static String encodeMeta(EventMeta meta) {
    if (meta.none()) return "";
    StringBuilder b = new StringBuilder();
    EventMeta.Origin o = meta.origin();
    if (o != null)
      b.append(o.partition()).append(' ').append(o.offset()).append(' ').append(escape(o.topic()));
    for (String r : meta.rooms()) b.append('\n').append(escape(r));
    return b.toString();
  }

  /** The inverse of {@link #encodeMeta}. */
  public static EventMeta decodeMeta(String s) {
    if (s.isEmpty()) return EventMeta.NONE;
    String[] lines = s.split("\n", -1);
    EventMeta.Origin origin = null;
    if (!lines[0].isEmpty()) {
      String[] p = lines[0].split(" ", 3);
      if (p.length != 3)
        throw new IllegalArgumentException("not an encoded event origin: " + lines[0]);
      origin =
          new EventMeta.Origin(
              unescape(p[2]),
              Integer.parseInt(p[0]),
              Long.parseLong(p[1])); // NumberFormatException is one
    }
    List<String> rooms = new ArrayList<>(lines.length - 1);
    for (int i = 1; i < lines.length; i++) rooms.add(unescape(lines[i]));
    return new EventMeta(rooms, origin);
  }

  public static String encodeLive(Event e, long prev) {
    String m = encodeMeta(e.meta());
    String lengths =
        m.isEmpty() ? Integer.toString(e.type().length()) : e.type().length() + ":" + m.length();
    return e.seq()
        + "\n"
        + prev
        + "\n"
        + e.time().toEpochMilli()
        + "\n"
        + lengths
        + "\n"
        + e.type()
        + m
        + e.data();
  }

  /** The inverse of {@link #encodeLive}, for the channel the message came on. */
  public static Live decodeLive(String channel, String s) {
    Cursor c = new Cursor(s);
    long seq = c.number('\n');
    long prev = c.number('\n');
    long ms = c.number('\n');
    int typeLength = c.length();
    int metaLength = c.skip(':') ? c.length() : 0;
    c.expect('\n');
    return new Live(c.rest(channel, seq, ms, typeLength, metaLength), prev);
  }

  public static byte[] encodeBody(long millis, String type, EventMeta meta, String data) {
    String m = encodeMeta(meta);
    return (millis + "\n" + type.length() + "\n" + m.length() + "\n" + type + m + data)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The inverse of {@link #encodeBody}, for the event at {@code seq} of the channel. */
  public static Event decodeBody(String channel, long seq, byte[] body) {
    Cursor c = new Cursor(new String(body, StandardCharsets.UTF_8));
    long ms = c.number('\n');
    int typeLength = c.length();
    c.expect('\n');
    int metaLength = c.length();
    c.expect('\n');
    return c.rest(channel, seq, ms, typeLength, metaLength);
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

  /**
   * Reads a layout's numbers and cuts its tail; every way it can fail is an
   * IllegalArgumentException.
   */
  private static final class Cursor {
    private final String s;
    private int at;

    Cursor(String s) {
      this.s = s;
    }

    /** A decimal number (an optional '-', then digits), then {@code end}. */
    long number(char end) {
      int from = at;
      if (at < s.length() && s.charAt(at) == '-') at++;
      while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') at++;
      if (at == from || at - from > 20) throw bad("a number expected at " + from);
      long n;
      try {
        n = Long.parseLong(s, from, at, 10);
      } catch (NumberFormatException e) {
        throw bad("not a number at " + from);
      }
      expect(end);
      return n;
    }

    /** A length: digits only, at most what is left. */
    int length() {
      int from = at;
      while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9' && at - from < 10) at++;
      if (at == from) throw bad("a length expected at " + from);
      long n = Long.parseLong(s, from, at, 10);
      if (n > s.length()) throw bad("a length past the end at " + from);
      return (int) n;
    }

    boolean skip(char c) {
      if (at < s.length() && s.charAt(at) == c) {
        at++;
        return true;
      }
      return false;
    }

    void expect(char c) {
      if (!skip(c))
        throw bad("'" + (c == '\n' ? "\\n" : String.valueOf(c)) + "' expected at " + at);
    }

    /** The type, the metadata and the data that follow. */
    Event rest(String channel, long seq, long ms, int typeLength, int metaLength) {
      int typeEnd = at + typeLength, metaEnd = typeEnd + metaLength;
      if (typeLength > s.length() - at || metaLength > s.length() - typeEnd)
        throw bad("lengths past the end");
      try {
        return new Event(
            channel,
            seq,
            s.substring(at, typeEnd),
            s.substring(metaEnd),
            Instant.ofEpochMilli(ms),
            decodeMeta(s.substring(typeEnd, metaEnd)));
      } catch (IllegalArgumentException e) { // a sequence below 1, a meta it did not write
        throw bad(e.getMessage());
      }
    }

    private static IllegalArgumentException bad(String why) {
      return new IllegalArgumentException("not a Herald event: " + why);
    }
  }
}
