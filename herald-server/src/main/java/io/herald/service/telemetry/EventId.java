package io.herald.service.telemetry;

/**
 * An event's id: its sequence in the telemetry log of the engine (one number per event, the same in
 * every stream it lands in, ordered across instances because the engine hands them out). Written as
 * a decimal number.
 */
record EventId(long value) implements Comparable<EventId> {
  /** Nothing read yet: a reader from here gets the oldest kept event first. */
  static final EventId ZERO = new EventId(0);

  /**
   * Parses a decimal id, or {@code <millis>-<counter>} (the ids of Herald before the engine, and of
   * Redis streams), read as {@code millis * 1000 + counter}: older than any sequence the engine
   * hands out now, so such a cursor is told it may have missed events instead of being mistaken for
   * a current one. Throws IllegalArgumentException.
   */
  static EventId parse(String s) {
    int dash = s.indexOf('-');
    try {
      long head = Long.parseLong(dash < 0 ? s : s.substring(0, dash));
      long tail = dash < 0 ? 0 : Long.parseLong(s.substring(dash + 1));
      if (head >= 0 && tail >= 0 && (dash < 0 || head < Long.MAX_VALUE / 1000 - 1))
        return new EventId(dash < 0 ? head : head * 1000 + Math.min(tail, 999));
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "lastEventId must be an event id this service returned (a number)");
  }

  /**
   * A client's {@code lastEventId}: null when absent or {@code $} (the caller decides what those
   * mean).
   */
  static EventId cursor(String raw) {
    return raw == null || raw.isEmpty() || raw.equals("$") ? null : parse(raw);
  }

  @Override
  public int compareTo(EventId o) {
    return Long.compare(value, o.value);
  }

  boolean after(EventId o) {
    return value > o.value;
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
