package io.herald.service.telemetry;

import java.util.ArrayList;
import java.util.List;

/**
 * The streams an event lands in. Every event goes to its event type's stream and to the admin
 * stream; an event with a userId also goes to that user's stream.
 */
final class Streams {
  static final String ADMIN = "admin";

  private Streams() {}

  static String type(String eventType) {
    return "type:" + eventType;
  }

  static String user(String userId) {
    return "user:" + userId;
  }

  static List<String> of(String eventType, String userId) {
    List<String> s = new ArrayList<>(3);
    s.add(type(eventType));
    s.add(ADMIN);
    if (userId != null) s.add(user(userId));
    return s;
  }
}
