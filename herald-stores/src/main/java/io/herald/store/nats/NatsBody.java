package io.herald.store.nats;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * An event as a JetStream message body: {@code <ms>\n<type length>\n<meta length>\n<type><meta><data>} (lengths in
 * UTF-16 units). Everything is in the body, not in headers, because a type, a room or the data may hold line breaks
 * and any character, which NATS headers cannot.
 */
final class NatsBody {
  private NatsBody() {}

  static byte[] encode(long millis, String type, EventMeta meta, String data) {
    String m = meta.encode();
    return (millis + "\n" + type.length() + "\n" + m.length() + "\n" + type + m + data).getBytes(StandardCharsets.UTF_8);
  }

  /** Throws IllegalArgumentException for a body Herald did not write (another program on the subject). */
  static Event decode(String channel, long seq, byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    try {
      int a = s.indexOf('\n'), b = s.indexOf('\n', a + 1), c = s.indexOf('\n', b + 1);
      long ms = Long.parseLong(s, 0, a, 10);
      int typeEnd = c + 1 + Integer.parseInt(s, a + 1, b, 10), metaEnd = typeEnd + Integer.parseInt(s, b + 1, c, 10);
      return new Event(channel, seq, s.substring(c + 1, typeEnd), s.substring(metaEnd), Instant.ofEpochMilli(ms),
          EventMeta.decode(s.substring(typeEnd, metaEnd)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a Herald event", e);
    }
  }
}
