package io.herald.protocol.sio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import java.io.IOException;
import java.util.Set;

/**
 * What a Socket.IO v5 client sends inside an Engine.IO message: {@code
 * <type>[<attachments>-][<nsp>,][<ackId>][<json>]}. Decoding is strict, as the specification asks:
 * anything that does not fit this grammar is a {@link ProtocolException}, and the caller closes the
 * connection. A binary event or ack (types 5 and 6) names how many binary messages follow it; its
 * arguments hold placeholders until {@link Attachments#fill} puts those messages in their place.
 */
public sealed interface SioPacket {
  /** Names a client may not emit: the Socket.IO server refuses them too. */
  Set<String> RESERVED =
      Set.of(
          "connect",
          "connect_error",
          "disconnect",
          "disconnecting",
          "newListener",
          "removeListener");

  /** Binary messages one packet may announce: each is held until the last arrives. */
  int MAX_ATTACHMENTS = 256;

  String nsp();

  /** Join a namespace; {@code auth} is the client's auth object, or null. */
  record Connect(String nsp, JsonNode auth) implements SioPacket {}

  record Disconnect(String nsp) implements SioPacket {}

  /**
   * An emit: {@code ackId} is -1 when the client wants no acknowledgement; {@code args} excludes
   * the name. {@code attachments} binary messages follow it (0 for a plain event).
   */
  record Event(String nsp, long ackId, String name, ArrayNode args, int attachments)
      implements SioPacket {
    public Event(String nsp, long ackId, String name, ArrayNode args) {
      this(nsp, ackId, name, args, 0);
    }
  }

  /**
   * The client's answer to a server emit that asked for one; {@code attachments} binary messages
   * follow it.
   */
  record Ack(String nsp, long id, ArrayNode args, int attachments) implements SioPacket {
    public Ack(String nsp, long id, ArrayNode args) {
      this(nsp, id, args, 0);
    }
  }

  static SioPacket decode(String text) throws ProtocolException {
    if (text.isEmpty()) throw invalid("empty Socket.IO packet");
    char type = text.charAt(0);
    if (type < '0' || type > '6' || type == '4')
      throw invalid("unknown Socket.IO packet type"); // 4: servers send CONNECT_ERROR
    int i = 1;
    int attachments = 0;
    boolean binary = type == '5' || type == '6';
    if (binary) {
      int dash = text.indexOf('-', i);
      if (dash <= i || dash - i > 3 || !digits(text, i, dash))
        throw invalid("a binary packet starts with its attachment count and '-'");
      attachments = Integer.parseInt(text, i, dash, 10);
      if (attachments < 1 || attachments > MAX_ATTACHMENTS)
        throw invalid("a binary packet has 1 to " + MAX_ATTACHMENTS + " attachments");
      i = dash + 1;
    }
    String nsp = "/";
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      nsp = comma < 0 ? text.substring(i) : text.substring(i, comma);
      i = comma < 0 ? text.length() : comma + 1;
    }
    int end = i;
    while (end < text.length() && Character.isDigit(text.charAt(end))) end++;
    if (end - i > 15) throw invalid("an ack id has at most 15 digits");
    long id = end > i ? Long.parseLong(text, i, end, 10) : -1;
    String json = text.substring(end);
    return switch (type) {
      case '0' -> {
        if (id >= 0) throw invalid("a CONNECT has no ack id");
        yield new Connect(nsp, json.isEmpty() ? null : object(json));
      }
      case '1' -> {
        if (id >= 0 || !json.isEmpty()) throw invalid("a DISCONNECT carries nothing");
        yield new Disconnect(nsp);
      }
      case '2', '5' -> event(nsp, id, json, attachments);
      default -> { // '3', '6'
        if (id < 0) throw invalid("an ack needs an id");
        yield new Ack(nsp, id, array(json), attachments);
      }
    };
  }

  private static boolean digits(String s, int from, int to) {
    for (int k = from; k < to; k++) if (!Character.isDigit(s.charAt(k))) return false;
    return true;
  }

  private static Event event(String nsp, long id, String json, int attachments)
      throws ProtocolException {
    ArrayNode a = array(json);
    // Socket.IO's own parser takes a number as a name too; it is an event like any other.
    if (a.isEmpty() || !(a.get(0).isTextual() || a.get(0).isNumber()))
      throw invalid("an event is a JSON array that starts with its name");
    String name = a.get(0).asText();
    if (RESERVED.contains(name)) throw invalid("reserved event name: " + name);
    a.remove(0);
    return new Event(nsp, id, name, a, attachments);
  }

  private static JsonNode object(String json) throws ProtocolException {
    JsonNode n = parse(json);
    if (!n.isObject()) throw invalid("CONNECT data must be a JSON object");
    return n;
  }

  private static ArrayNode array(String json) throws ProtocolException {
    if (json.isEmpty()) throw invalid("missing JSON array");
    if (!(parse(json) instanceof ArrayNode a)) throw invalid("expected a JSON array");
    return a;
  }

  private static JsonNode parse(String json) throws ProtocolException {
    try {
      return Attachments.STRICT.readTree(json);
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON in Socket.IO packet");
    }
  }

  private static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_MESSAGE, message);
  }
}
