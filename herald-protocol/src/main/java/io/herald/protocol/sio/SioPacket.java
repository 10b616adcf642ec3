package io.herald.protocol.sio;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.json.Json;
import java.util.Set;

/**
 * What a Socket.IO v5 client sends inside an Engine.IO message: {@code <type>[<nsp>,][<ackId>][<json>]}.
 * Binary events and acks (types 5 and 6) are refused: their attachments arrive as binary frames Herald does not take.
 */
public sealed interface SioPacket {
  /** Names a client may not emit: the Socket.IO server refuses them too. */
  Set<String> RESERVED = Set.of("connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener");

  String nsp();

  /** Join a namespace; {@code auth} is the client's auth object, or null. */
  record Connect(String nsp, JsonNode auth) implements SioPacket {}

  record Disconnect(String nsp) implements SioPacket {}

  /** An emit: {@code ackId} is -1 when the client wants no acknowledgement; {@code args} excludes the name. */
  record Event(String nsp, long ackId, String name, ArrayNode args) implements SioPacket {}

  /** The client's answer to a server emit that asked for one. */
  record Ack(String nsp, long id, ArrayNode args) implements SioPacket {}

  static SioPacket decode(String text) throws ProtocolException {
    if (text.isEmpty()) throw invalid("empty Socket.IO packet");
    char type = text.charAt(0);
    int i = 1;
    String nsp = "/";
    if (i < text.length() && text.charAt(i) == '/') {
      int comma = text.indexOf(',', i);
      nsp = comma < 0 ? text.substring(i) : text.substring(i, comma);
      i = comma < 0 ? text.length() : comma + 1;
    }
    int digits = i;
    while (digits < text.length() && Character.isDigit(text.charAt(digits)) && digits - i < 15) digits++;
    long id = digits > i ? Long.parseLong(text, i, digits, 10) : -1;
    String json = text.substring(digits);
    return switch (type) {
      case '0' -> new Connect(nsp, json.isEmpty() ? null : object(json));
      case '1' -> new Disconnect(nsp);
      case '2' -> event(nsp, id, json);
      case '3' -> {
        if (id < 0) throw invalid("an ack needs an id");
        yield new Ack(nsp, id, array(json));
      }
      case '5', '6' -> throw invalid("binary Socket.IO packets are not accepted");
      default -> throw invalid("unknown Socket.IO packet type");
    };
  }

  private static Event event(String nsp, long id, String json) throws ProtocolException {
    ArrayNode a = array(json);
    if (a.isEmpty() || !a.get(0).isTextual()) throw invalid("an event is a JSON array that starts with its name");
    String name = a.get(0).asText();
    if (RESERVED.contains(name)) throw invalid("reserved event name: " + name);
    a.remove(0);
    return new Event(nsp, id, name, a);
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
      return Json.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.INVALID_JSON, "invalid JSON in Socket.IO packet");
    }
  }

  private static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_MESSAGE, message);
  }
}
