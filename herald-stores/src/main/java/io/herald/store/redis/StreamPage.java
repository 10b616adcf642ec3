package io.herald.store.redis;

import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.herald.core.event.EventCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Turns the READ script's answer into a {@link Page}, deciding whether the stream reaches back to
 * the position.
 */
final class StreamPage {
  private StreamPage() {}

  /**
   * @param since the position read after, or -1 for the newest entries
   * @param r {top, base, entries} from {@link EngineScripts#READ}
   * @param cutoff entries older than this (epoch ms) count as gone: the stream's TTL is per key,
   *     the age is per entry
   */
  @SuppressWarnings("unchecked")
  static Page of(String channel, long since, int max, List<Object> r, long cutoff) {
    long top = Long.parseLong((String) r.get(0));
    long base = Long.parseLong((String) r.get(1));
    List<Event> events = new ArrayList<>();
    for (Object o : (List<Object>) r.get(2)) {
      List<Object> entry = (List<Object>) o;
      String id = (String) entry.get(0);
      List<Object> f = (List<Object>) entry.get(1);
      String t = null, y = null, d = null, m = "";
      for (int i = 0; i + 1 < f.size(); i += 2) {
        switch ((String) f.get(i)) {
          case "t" -> t = (String) f.get(i + 1);
          case "y" -> y = (String) f.get(i + 1);
          case "d" -> d = (String) f.get(i + 1);
          case "m" -> m = (String) f.get(i + 1);
          default -> {}
        }
      }
      if (t == null || y == null || d == null || Long.parseLong(t) < cutoff) continue;
      events.add(
          new Event(
              channel,
              Long.parseLong(id.substring(0, id.indexOf('-'))),
              y,
              d,
              Instant.ofEpochMilli(Long.parseLong(t)),
              EventCodec.decodeMeta(m)));
    }
    if (since < 0) {
      Collections.reverse(events); // XREVRANGE: newest first
      if (max == 0) events.clear();
      return new Page(events, true, top);
    }
    boolean recovered;
    if (since > top) recovered = false; // ahead of the channel: from before a loss, or made up
    else if (since == top) recovered = true;
    // From before the channel's data was lost, unless it is 0: a reader that has seen nothing lost
    // nothing, and the
    // stream reaches back to the start of the channel when it still holds the event after base.
    else if (since < base)
      recovered = since == 0 && !events.isEmpty() && events.getFirst().seq() == base + 1;
    else
      recovered =
          !events.isEmpty() && events.getFirst().seq() == since + 1; // else trimmed or expired
    if (events.size() > max) events = events.subList(0, max);
    return new Page(events, recovered, top);
  }
}
