package io.herald.service.telemetry;

import io.vertx.core.http.HttpServerRequest;

/**
 * The query of a polling request: {@code lastEventId} (absent: from the oldest kept event; {@code
 * $}: only events after now), {@code longPoll} (true or false), {@code limit} (1-1000, default
 * 100).
 *
 * @param after the id to read after; null for the oldest kept event
 * @param latest {@code lastEventId=$}: start after the stream's newest event
 */
record PollQuery(EventId after, boolean latest, boolean longPoll, int limit) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;

  /**
   * @throws IllegalArgumentException naming the parameter
   */
  static PollQuery of(HttpServerRequest req) {
    String last = req.getParam("lastEventId");
    boolean latest = "$".equals(last);
    EventId after = EventId.cursor(last);
    String lp = req.getParam("longPoll");
    boolean longPoll;
    if (lp == null || lp.isEmpty() || lp.equalsIgnoreCase("false")) longPoll = false;
    else if (lp.equalsIgnoreCase("true")) longPoll = true;
    else throw new IllegalArgumentException("query parameter 'longPoll' must be true or false");
    int limit = DEFAULT_LIMIT;
    String l = req.getParam("limit");
    if (l != null && !l.isEmpty()) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT)
        throw new IllegalArgumentException("query parameter 'limit' must be 1-" + MAX_LIMIT);
    }
    return new PollQuery(after, latest, longPoll, limit);
  }
}
