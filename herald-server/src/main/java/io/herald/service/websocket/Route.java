package io.herald.service.websocket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.core.event.Encoding;
import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.protocol.json.Json;
import io.herald.protocol.sio.SioEncoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Where a broadcast goes: its Socket.IO event name (the engine event's type) and target rooms, and
 * where it came from (the event's {@link EventMeta}: rooms and Kafka origin as fields). Every room
 * broadcast is one event on one channel: one total order, one offset per event for recovery, and a
 * client in two target rooms gets the event once. Each connection tests its rooms against the
 * route, built once per event ({@link #ROUTE}).
 *
 * @param origin the Kafka record it came from, or null (HTTP)
 */
record Route(String name, List<String> rooms, EventMeta.Origin origin) {
  static final Encoding<Route> ROUTE = Encoding.of("socket.io-route", Route::of);

  /**
   * {@code 42["name",data,"offset"]}: the offset lets socket.io-client resume after it (connection
   * state recovery).
   */
  static final Encoding<byte[]> WITH_OFFSET = Encoding.of("socket.io-offset", e -> packet(e, true));

  static final Encoding<byte[]> PLAIN = Encoding.of("socket.io", e -> packet(e, false));

  /**
   * The binary values of an event whose data holds {@code {"$binary":..}} markers, in order; empty
   * for most events.
   */
  static final Encoding<List<byte[]>> ATTACHMENTS =
      Encoding.of(
          "socket.io-attachments",
          e -> BinaryData.mayHold(e.data()) ? binary(e, false).attachments() : List.of());

  /** Not from a source that needs remembering (HTTP). */
  Route(String name, List<String> rooms) {
    this(name, rooms, null);
  }

  static Route of(Event e) {
    if (e.meta().none() && e.type().indexOf('\n') >= 0) return written(e.type());
    return new Route(e.type(), e.meta().rooms(), e.meta().origin());
  }

  /**
   * An event kept (file journal, Redis stream) by a Herald from before typed metadata, which packed
   * the route into the type as {@code name\nroom...[\n@topic/partition/offset]}: read so history
   * survives the upgrade.
   */
  private static Route written(String type) {
    String[] parts = type.split("\n");
    String last = parts[parts.length - 1];
    boolean sourced = parts.length > 1 && last.startsWith("@");
    EventMeta.Origin origin = null;
    int b = last.lastIndexOf('/'), a = b < 0 ? -1 : last.lastIndexOf('/', b - 1);
    if (sourced && a > 1) {
      try {
        origin =
            new EventMeta.Origin(
                last.substring(1, a),
                Integer.parseInt(last, a + 1, b, 10),
                Long.parseLong(last, b + 1, last.length(), 10));
      } catch (NumberFormatException e) {
        // an HTTP broadcast's source: nothing to resume from
      }
    }
    return new Route(
        parts[0], List.of(parts).subList(1, sourced ? parts.length - 1 : parts.length), origin);
  }

  /** What the engine keeps beside the name. */
  EventMeta meta() {
    return new EventMeta(rooms, origin);
  }

  boolean reaches(Set<String> joined) {
    for (String r : rooms) if (joined.contains(r)) return true;
    return false;
  }

  private static byte[] packet(Event e, boolean offset) {
    if (BinaryData.mayHold(e.data()))
      return binary(e, offset).text().getBytes(StandardCharsets.UTF_8);
    return SioEncoder.event(name(e), e.data() + (offset ? ",\"" + e.seq() + "\"" : ""))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String name(Event e) {
    return of(e).name();
  }

  /**
   * A BINARY_EVENT (placeholders and attachments) when the data holds markers; else the plain event
   * again.
   */
  private static SioEncoder.Encoded binary(Event e, boolean offset) {
    ArrayNode args = JsonNodeFactory.instance.arrayNode();
    try {
      args.add(BinaryData.decode(Json.MAPPER.readTree(e.data())));
    } catch (IOException
        | IllegalArgumentException bad) { // checked when published; kept as text if not
      args.add(e.data());
    }
    if (offset) args.add(String.valueOf(e.seq()));
    return SioEncoder.event("/", name(e), args);
  }
}
