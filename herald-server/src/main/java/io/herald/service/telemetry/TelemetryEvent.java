package io.herald.service.telemetry;

/**
 * A stored event, encoded once: {@code json} is what every reader sends ({@code
 * {"id":"<id>","eventType":...}}), shared by every poll and stream that reads this instance.
 *
 * @param userId the user it is addressed to, or null for everyone allowed to read its stream
 */
record TelemetryEvent(EventId id, String userId, String json) {
  /**
   * From the stored body, the event's JSON without the id ({@code {"eventType":...}}): the id is
   * spliced in.
   */
  static TelemetryEvent of(EventId id, String userId, String body) {
    return new TelemetryEvent(id, userId, "{\"id\":\"" + id + "\"," + body.substring(1));
  }

  /**
   * Whether {@code p} may see it on a shared (event type) stream: admins all, users their own and
   * untargeted.
   */
  boolean visibleTo(Principal p) {
    return p.admin() || userId == null || userId.equals(p.userId());
  }
}
