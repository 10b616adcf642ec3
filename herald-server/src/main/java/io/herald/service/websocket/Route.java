package io.herald.service.websocket;

import io.herald.core.event.Encoding;
import io.herald.core.event.Event;
import io.herald.protocol.sio.SioEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Where a broadcast goes: its Socket.IO event name and target rooms, and where it came from. It travels in the engine
 * event's type as {@code name\nroom\nroom...[\n@source]} (neither names nor rooms may hold a newline, and rooms never
 * start with {@code @}), so every room broadcast is one event
 * on one channel: one total order, one offset per event for recovery, and a client in two target rooms gets the
 * event once. Each connection tests its rooms against the route, parsed once per event ({@link #ROUTE}).
 */
record Route(String name, List<String> rooms, String source) {
  static final Encoding<Route> ROUTE = Encoding.of("socket.io-route", e -> parse(e.type()));
  /** {@code 42["name",data,"offset"]}: the offset lets socket.io-client resume after it (connection state recovery). */
  static final Encoding<byte[]> WITH_OFFSET = Encoding.of("socket.io-offset", e -> packet(e, true));
  static final Encoding<byte[]> PLAIN = Encoding.of("socket.io", e -> packet(e, false));
  /** The binary values of an event whose data holds {@code {"$binary":..}} markers, in order; empty for most events. */
  static final Encoding<List<byte[]>> ATTACHMENTS = Encoding.of("socket.io-attachments",
      e -> BinaryData.mayHold(e.data()) ? binary(e, false).attachments() : List.of());

  /** Not from a source that needs remembering (HTTP). */
  Route(String name, List<String> rooms) {
    this(name, rooms, "");
  }

  String type() {
    return name + "\n" + String.join("\n", rooms) + (source.isEmpty() ? "" : "\n@" + source);
  }

  static Route parse(String type) {
    String[] parts = type.split("\n");
    boolean sourced = parts.length > 1 && parts[parts.length - 1].startsWith("@");
    int end = sourced ? parts.length - 1 : parts.length;
    return new Route(parts[0], List.of(parts).subList(1, end), sourced ? parts[parts.length - 1].substring(1) : "");
  }

  boolean reaches(java.util.Set<String> joined) {
    for (String r : rooms) if (joined.contains(r)) return true;
    return false;
  }

  private static byte[] packet(Event e, boolean offset) {
    if (BinaryData.mayHold(e.data())) return binary(e, offset).text().getBytes(StandardCharsets.UTF_8);
    return SioEncoder.event(name(e), e.data() + (offset ? ",\"" + e.seq() + "\"" : "")).getBytes(StandardCharsets.UTF_8);
  }

  private static String name(Event e) {
    return e.type().substring(0, e.type().indexOf('\n'));
  }

  /** A BINARY_EVENT (placeholders and attachments) when the data holds markers; else the plain event again. */
  private static SioEncoder.Encoded binary(Event e, boolean offset) {
    com.fasterxml.jackson.databind.node.ArrayNode args = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    try {
      args.add(BinaryData.decode(io.herald.protocol.json.Json.MAPPER.readTree(e.data())));
    } catch (java.io.IOException | IllegalArgumentException bad) {  // checked when published; kept as text if not
      args.add(e.data());
    }
    if (offset) args.add(String.valueOf(e.seq()));
    return SioEncoder.event("/", name(e), args);
  }
}
