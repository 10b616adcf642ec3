package io.herald.protocol.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;

/**
 * Decodes what a push-hub client sends. Pure: text in, message or {@link ProtocolException} out.
 */
public final class ClientCodec {
  private ClientCodec() {}

  public static ClientMessage decode(String text) throws ProtocolException {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new ProtocolException(ErrorCode.INVALID_JSON, "message is not valid JSON");
    }
    if (node == null || !node.isObject())
      throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message must be a JSON object");
    JsonNode type = node.get("type");
    if (type == null || !type.isTextual())
      throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "field 'type' must be a string");
    return switch (type.asText()) {
      case "ping" -> new ClientMessage.Ping();
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE, "unknown message type '" + abbreviate(type.asText()) + "'");
    };
  }

  /** Echoing a client's string back is useful, echoing 500 bytes of it is not. */
  static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
