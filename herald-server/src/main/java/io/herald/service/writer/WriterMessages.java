package io.herald.service.writer;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Parses a queue's message body; anything malformed is {@link Poison}. */
final class WriterMessages {
  static final String CREATE_CHATS = "create_chats";
  static final String CREATE_MESSAGES = "create_messages";
  static final String UPDATE_MESSAGES = "update_messages";

  private WriterMessages() {}

  static WriterCommand parse(String queue, byte[] body, int maxBody) throws Poison {
    JsonNode n;
    try {
      n = Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new Poison("malformed JSON");
    }
    if (n == null || !n.isObject()) throw new Poison("body is not a JSON object");
    return switch (queue) {
      case CREATE_CHATS ->
          new WriterCommand.CreateChat(
              whole(n, "application_id"),
              token(n),
              (int) whole(n, "number"),
              optionalWhole(n, "creator_id"));
      case CREATE_MESSAGES ->
          new WriterCommand.CreateMessage(
              whole(n, "chat_id"),
              token(n),
              (int) whole(n, "chat_number"),
              (int) whole(n, "number"),
              text(n, maxBody),
              optionalWhole(n, "creator_id"));
      case UPDATE_MESSAGES ->
          new WriterCommand.UpdateMessage(
              whole(n, "chat_id"),
              token(n),
              (int) whole(n, "chat_number"),
              (int) whole(n, "number"),
              text(n, maxBody));
      default -> throw new IllegalArgumentException("unknown queue " + queue);
    };
  }

  private static String token(JsonNode n) throws Poison {
    JsonNode t = n.get("token");
    if (t == null || !t.isTextual() || t.asText().isBlank() || t.asText().length() > 255)
      throw new Poison("field 'token' must be a non-empty string");
    return t.asText();
  }

  private static long whole(JsonNode n, String field) throws Poison {
    JsonNode v = n.get(field);
    if (v == null
        || !v.canConvertToLong()
        || !v.isIntegralNumber()
        || v.asLong() < 0
        || v.asLong() > Integer.MAX_VALUE) {
      throw new Poison("field '" + field + "' must be a non-negative whole number");
    }
    return v.asLong();
  }

  private static Long optionalWhole(JsonNode n, String field) throws Poison {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : whole(n, field);
  }

  private static String text(JsonNode n, int maxBody) throws Poison {
    JsonNode v = n.get("body");
    if (v == null || !v.isTextual()) throw new Poison("field 'body' must be a string");
    if (v.asText().getBytes(StandardCharsets.UTF_8).length > maxBody)
      throw new Poison("field 'body' is over " + maxBody + " bytes");
    return v.asText();
  }
}
