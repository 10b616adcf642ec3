package io.herald.protocol.envelope;

import io.herald.core.event.Encoding;
import io.herald.core.event.Event;
import io.herald.protocol.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The push hub's JSON envelope, {@code {"type":..,"data":{..},"timestamp":".."}} (seed 004), plus a
 * {@code seq} field on channel events so clients can resume. Built by string concatenation around
 * the already-serialised {@code data}: an event is never parsed or re-serialised on its way out.
 */
public final class Envelope {
  /** A channel event as UTF-8 bytes, encoded once per event and shared by every connection. */
  public static final Encoding<byte[]> EVENT =
      Encoding.of("push-hub-envelope", Envelope::encodeEvent);

  /**
   * The same envelope without the top-level {@code seq}, for services whose seed has none
   * (report-listener).
   */
  public static final Encoding<byte[]> PLAIN = Encoding.of("plain-envelope", Envelope::encodePlain);

  private Envelope() {}

  static byte[] encodePlain(Event e) {
    return plain(e.type(), e.data(), e.time()).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The plain envelope for one connection's own message, the same JSON {@link #PLAIN} gives an
   * event: {@code {"type","data","timestamp"}}.
   */
  public static String plain(String type, String data, Instant time) {
    return "{\"type\":"
        + Json.quote(type)
        + ",\"data\":"
        + data
        + ",\"timestamp\":\""
        + time
        + "\"}";
  }

  static byte[] encodeEvent(Event e) {
    return ("{\"type\":"
            + Json.quote(e.type())
            + ",\"data\":"
            + e.data()
            + ",\"timestamp\":\""
            + e.time()
            + "\",\"seq\":"
            + e.seq()
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** A per-connection message as JSON text. */
  public static String encode(ServerMessage m, Instant now) {
    String ts = ServerMessage.stamp(now);
    return switch (m) {
      case ServerMessage.ConnectionEstablished(long lastSeq) ->
          wrap(
              "connection_established",
              "{\"status\":\"connected\",\"lastSeq\":" + lastSeq + "}",
              ts);
      case ServerMessage.Pong() -> wrap("pong", "{\"timestamp\":\"" + ts + "\"}", ts);
      case ServerMessage.Error(ErrorCode code, String message) ->
          wrap(
              "error",
              "{\"code\":\"" + code.wire() + "\",\"message\":" + Json.quote(message) + "}",
              ts);
      case ServerMessage.Resumed(long since, boolean recovered, int replayed, long lastSeq) ->
          wrap(
              "resumed",
              "{\"since\":"
                  + since
                  + ",\"recovered\":"
                  + recovered
                  + ",\"replayed\":"
                  + replayed
                  + ",\"lastSeq\":"
                  + lastSeq
                  + "}",
              ts);
    };
  }

  private static String wrap(String type, String data, String ts) {
    return "{\"type\":\"" + type + "\",\"data\":" + data + ",\"timestamp\":\"" + ts + "\"}";
  }
}
