package io.herald.bench.chaos;

import io.herald.testkit.SioClient;
import java.net.http.HttpClient;

/**
 * A Socket.IO client of the fault scripts and what it received: the publish numbers its
 * notifications carry.
 */
record SioCount(SioClient client, Received got) {
  /** Without reconnecting: kafka-restart must drop no client. */
  static SioCount once(HttpClient http, int port) {
    Received got = new Received();
    return new SioCount(SioClient.once(http, port, p -> got.add(notification(p))), got);
  }

  /** Reconnecting with connection state recovery, as socket.io-client does: sio-kill. */
  static SioCount recovering(HttpClient http, int port) {
    Received got = new Received();
    return new SioCount(SioClient.recovering(http, port, p -> got.add(notification(p))), got);
  }

  /**
   * The publish number of a {@code 42["notification",{..."message":"N"...}]} packet, or -1 (not
   * added).
   */
  static long notification(String p) {
    if (!p.startsWith("42[\"notification\"")) return -1;
    String key = "\"message\":\"";
    int i = p.indexOf(key);
    if (i < 0) return -1;
    int from = i + key.length(), to = from;
    while (to < p.length() && Character.isDigit(p.charAt(to))) to++;
    return to == from ? -1 : Long.parseLong(p, from, to, 10);
  }
}
