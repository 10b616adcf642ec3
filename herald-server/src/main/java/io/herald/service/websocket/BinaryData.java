package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Binary values in broadcasts. HTTP bodies and Kafka records are JSON, so a binary value is written
 * there as {@code {"$binary":"<base64>"}}; clients receive it as a Buffer or ArrayBuffer (a
 * Socket.IO attachment). Events are kept in history with the marker, and turned into attachments
 * only when they are written to a client.
 */
final class BinaryData {
  static final String MARKER = "$binary";
  private static final String QUOTED = "\"" + MARKER + "\"";

  private BinaryData() {}

  /**
   * A quick look at JSON text: false means there is surely no marker (the common case costs no
   * parse).
   */
  static boolean mayHold(String json) {
    return json.contains(QUOTED);
  }

  /**
   * {@code n} with every marker replaced by its bytes; {@code n} itself is not changed. Bad base64
   * throws.
   */
  static JsonNode decode(JsonNode n) {
    if (isMarker(n)) {
      try {
        return JsonNodeFactory.instance.binaryNode(
            Base64.getDecoder().decode(n.get(MARKER).asText()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("a {\"" + MARKER + "\": ...} value must be base64");
      }
    }
    if (n instanceof ArrayNode a) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(a.size());
      for (JsonNode c : a) out.add(decode(c));
      return out;
    }
    if (n instanceof ObjectNode o) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        out.set(e.getKey(), decode(e.getValue()));
      }
      return out;
    }
    return n;
  }

  private static boolean isMarker(JsonNode n) {
    return n.isObject() && n.size() == 1 && n.path(MARKER).isTextual();
  }
}
