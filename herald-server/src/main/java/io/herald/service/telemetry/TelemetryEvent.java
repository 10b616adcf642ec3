package io.herald.service.telemetry;

/**
 * A stored event. {@code body} is its JSON without the id ({@code {"eventType":...}}); the id is spliced in when
 * it is sent, so the body is encoded once at publish and shared by every stream and every reader.
 *
 * @param userId the user it is addressed to, or null for everyone allowed to read its stream
 */
record TelemetryEvent(EventId id, String userId, String body) {
  /** {@code {"id":"<id>","eventType":...}} */
  String json() {
    return "{\"id\":\"" + id + "\"," + body.substring(1);
  }

  /** Whether {@code p} may see it on a shared (event type) stream: admins all, users their own and untargeted. */
  boolean visibleTo(Principal p) {
    return p.admin() || userId == null || userId.equals(p.userId());
  }
}
