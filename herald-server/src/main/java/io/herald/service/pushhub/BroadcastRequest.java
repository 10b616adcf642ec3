package io.herald.service.pushhub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.json.Json;
import java.io.IOException;
import java.time.Instant;

/**
 * A validated {@code POST /api/v1/broadcast} body: {@code {"type": "...", "data": {...}}}, where
 * type is one of the seed's four message types and data has the fields that type's seed shape
 * requires.
 *
 * @param type the message type
 * @param data the data object as compact JSON text
 */
record BroadcastRequest(String type, String data) {
  static BroadcastRequest parse(byte[] body, Instant now) throws ProtocolException {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new ProtocolException(ErrorCode.INVALID_JSON, "body is not valid JSON");
    }
    if (root == null || !root.isObject()) throw invalid("body must be a JSON object");
    JsonNode type = root.get("type");
    if (type == null || !type.isTextual()) throw invalid("field 'type' must be a string");
    JsonNode data = root.get("data");
    if (data == null || !data.isObject()) throw invalid("field 'data' must be an object");
    ObjectNode d = (ObjectNode) data;
    switch (type.asText()) {
      case MessageTypes.NEW_ANOMALY -> requireObject(d, "log");
      case MessageTypes.LOG_UPDATE -> requireObject(d, "log");
      case MessageTypes.STATS_UPDATE -> {
        if (!d.has("stats")) throw invalid("field 'data.stats' is required");
      }
      case MessageTypes.SYSTEM_ALERT -> {
        for (String f : new String[] {"alertType", "message", "severity"}) requireText(d, f);
        if (!d.has("timestamp")) d.put("timestamp", now.toString());
      }
      default ->
          throw new ProtocolException(
              ErrorCode.UNKNOWN_TYPE,
              "field 'type' must be one of new_anomaly, log_update, stats_update, system_alert");
    }
    return new BroadcastRequest(type.asText(), d.toString());
  }

  private static void requireObject(ObjectNode d, String field) throws ProtocolException {
    if (!d.path(field).isObject()) throw invalid("field 'data." + field + "' must be an object");
  }

  private static void requireText(ObjectNode d, String field) throws ProtocolException {
    if (!d.path(field).isTextual()) throw invalid("field 'data." + field + "' must be a string");
  }

  private static ProtocolException invalid(String message) {
    return new ProtocolException(ErrorCode.INVALID_MESSAGE, message);
  }
}
