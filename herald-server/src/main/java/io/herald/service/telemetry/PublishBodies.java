package io.herald.service.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.protocol.json.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The four internal publish bodies of the seed, checked and turned into one event shape: {@code
 * {"eventType","action","entityId","entityType","userId","metadata","timestamp"}}.
 */
final class PublishBodies {
  private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final int MAX_FIELD = 256;

  /** An event ready to store: who it is for and its JSON without the id. */
  record Draft(String eventType, String userId, String body) {}

  /** A body that cannot be published; the message names the field. */
  static final class BadBody extends Exception {
    final String field;

    BadBody(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  private PublishBodies() {}

  /**
   * POST /v1/internal/events/publish: {eventType, action, entityId, entityType, userId, metadata}.
   */
  static Draft generic(String raw, Instant now) throws BadBody {
    JsonNode in = object(raw);
    String type = required(in, "eventType");
    if (!EVENT_TYPE.matcher(type).matches())
      throw new BadBody("eventType", "field 'eventType' must be 1-100 letters, digits or _.:-");
    return draft(
        type,
        optional(in, "action"),
        optional(in, "entityId"),
        optional(in, "entityType"),
        optional(in, "userId"),
        metadata(in, "metadata"),
        now);
  }

  /**
   * POST /v1/internal/events/order-status-change: {orderId, userId, newStatus}; for that user and
   * admins.
   */
  static Draft orderStatusChange(String raw, Instant now) throws BadBody {
    JsonNode in = object(raw);
    String order = required(in, "orderId"),
        user = required(in, "userId"),
        status = required(in, "newStatus");
    ObjectNode meta = Json.MAPPER.createObjectNode().put("newStatus", status);
    return draft("CUSTOMER_ORDER_STATUS", "REFRESH", order, "ORDER", user, meta, now);
  }

  /** POST /v1/internal/events/new-order: {orderId, customerName, totalAmount}; for admins. */
  static Draft newOrder(String raw, Instant now) throws BadBody {
    JsonNode in = object(raw);
    String order = required(in, "orderId");
    ObjectNode meta = Json.MAPPER.createObjectNode();
    meta.put("customerName", optional(in, "customerName"));
    JsonNode amount = in.get("totalAmount");
    if (amount != null && !amount.isNull() && !amount.isTextual() && !amount.isNumber()) {
      throw new BadBody("totalAmount", "field 'totalAmount' must be a string or a number");
    }
    meta.set("totalAmount", amount == null ? null : amount);
    return draft("NEW_ORDER", "CREATED", order, "ORDER", null, meta, now);
  }

  /** POST /v1/internal/events/order-update: {orderId, updateType, details}; for admins. */
  static Draft orderUpdate(String raw, Instant now) throws BadBody {
    JsonNode in = object(raw);
    String order = required(in, "orderId"), kind = required(in, "updateType");
    ObjectNode meta = Json.MAPPER.createObjectNode().put("updateType", kind);
    meta.set("details", metadata(in, "details"));
    return draft("ORDER_UPDATE", kind, order, "ORDER", null, meta, now);
  }

  private static Draft draft(
      String type,
      String action,
      String entityId,
      String entityType,
      String userId,
      JsonNode meta,
      Instant now) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("eventType", type)
        .put("action", action)
        .put("entityId", entityId)
        .put("entityType", entityType)
        .put("userId", userId);
    out.set("metadata", meta);
    out.put("timestamp", now.toString());
    return new Draft(type, userId, out.toString());
  }

  private static JsonNode object(String raw) throws BadBody {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(raw);
    } catch (IOException e) {
      throw new BadBody("body", "body is not valid JSON");
    }
    if (n == null || !n.isObject()) throw new BadBody("body", "body must be a JSON object");
    return n;
  }

  private static String required(JsonNode in, String field) throws BadBody {
    String v = optional(in, field);
    if (v == null || v.isBlank()) throw new BadBody(field, "field '" + field + "' is required");
    return v;
  }

  private static String optional(JsonNode in, String field) throws BadBody {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual() && !v.isNumber())
      throw new BadBody(field, "field '" + field + "' must be a string");
    String s = v.asText();
    if (s.length() > MAX_FIELD)
      throw new BadBody(field, "field '" + field + "' is longer than " + MAX_FIELD + " characters");
    return s;
  }

  private static JsonNode metadata(JsonNode in, String field) throws BadBody {
    JsonNode v = in.get(field);
    if (v == null || v.isNull()) return Json.MAPPER.createObjectNode();
    if (!v.isObject()) throw new BadBody(field, "field '" + field + "' must be a JSON object");
    return v;
  }
}
