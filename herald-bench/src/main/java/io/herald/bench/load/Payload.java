package io.herald.bench.load;

import io.vertx.core.buffer.Buffer;

/**
 * The benchmark's message: {@code {"type":"stats_update","data":{"stats":{"t":<nanos>,"i":<n>}}}}, where t is
 * the publisher's {@link System#nanoTime} (publisher and receivers share one JVM, so one clock) and i the
 * publish counter. Receivers find both numbers by scanning bytes: parsing JSON per received message would make
 * the load generator, not the server, the bottleneck.
 */
final class Payload {
  private Payload() {}

  static String body(long nanos, long i) {
    return "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"t\":" + nanos + ",\"i\":" + i + "}}}";
  }

  /** The number after {@code "key":}, or -1 when absent. */
  static long number(Buffer b, char key) {
    int n = b.length();
    for (int p = 0; p + 4 < n; p++) {
      if (b.getByte(p) == '"' && b.getByte(p + 1) == key && b.getByte(p + 2) == '"' && b.getByte(p + 3) == ':') {
        long v = 0;
        int q = p + 4;
        while (q < n && b.getByte(q) == ' ') q++;
        boolean any = false;
        for (byte c; q < n && (c = b.getByte(q)) >= '0' && c <= '9'; q++) {
          v = v * 10 + (c - '0');
          any = true;
        }
        return any ? v : -1;
      }
    }
    return -1;
  }
}
