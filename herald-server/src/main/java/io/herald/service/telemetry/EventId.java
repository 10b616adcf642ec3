package io.herald.service.telemetry;

/**
 * An event's id, {@code <millis>-<seq>} as Redis stream ids are: ordered by time, then by a counter within the
 * millisecond. One id per event, the same in every stream it lands in, so a client's {@code lastEventId} means
 * the same thing on every route.
 */
record EventId(long millis, long seq) implements Comparable<EventId> {
  static final EventId ZERO = new EventId(0, 0);

  /** Parses {@code <millis>-<seq>} or a bare {@code <millis>}; throws IllegalArgumentException otherwise. */
  static EventId parse(String s) {
    int dash = s.indexOf('-');
    try {
      long ms = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
      long seq = dash < 0 ? 0 : Long.parseLong(s.substring(dash + 1));
      if (ms >= 0 && seq >= 0) return new EventId(ms, seq);
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("lastEventId must look like <millis>-<seq>, as the ids this service returns");
  }

  /** A client's {@code lastEventId}: null when absent or {@code $} (the caller decides what those mean). */
  static EventId cursor(String raw) {
    return raw == null || raw.isEmpty() || raw.equals("$") ? null : parse(raw);
  }

  /** The id after this one for an event at {@code nowMillis}: time moves on, or the counter does. */
  EventId next(long nowMillis) {
    return nowMillis > millis ? new EventId(nowMillis, 0) : new EventId(millis, seq + 1);
  }

  @Override
  public int compareTo(EventId o) {
    int c = Long.compare(millis, o.millis);
    return c != 0 ? c : Long.compare(seq, o.seq);
  }

  boolean after(EventId o) {
    return compareTo(o) > 0;
  }

  @Override
  public String toString() {
    return millis + "-" + seq;
  }
}
