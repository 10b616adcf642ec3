package io.herald.bench.load;

/**
 * The benchmark's message: {@code {"type":"stats_update","data":{"stats":{"t":<nanos>,"i":<n>}}}},
 * where t is the publisher's {@link System#nanoTime} (publisher and receivers share one JVM, so one
 * clock) and i the publish counter. Receivers find both numbers by scanning bytes: parsing JSON per
 * received message would make the load generator, not the server, the bottleneck.
 */
final class Payload {
  private Payload() {}

  static String body(long nanos, long i) {
    return "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"t\":" + nanos + ",\"i\":" + i + "}}}";
  }
}
