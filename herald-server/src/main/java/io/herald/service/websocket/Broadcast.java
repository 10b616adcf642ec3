package io.herald.service.websocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.event.EventMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One event for the rooms it names, and the seed's events built from their Kafka messages or HTTP
 * bodies (the same shapes for both). Bad input throws {@link IllegalArgumentException} with a
 * message safe to return.
 */
record Broadcast(Route route, String data) {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  static Broadcast to(List<String> rooms, String event, JsonNode data) {
    if (!Rooms.validEvent(event))
      throw new IllegalArgumentException(
          "event must be a name of 1-128 characters, not a reserved one");
    for (String r : rooms)
      if (!Rooms.valid(r))
        throw new IllegalArgumentException(
            "invalid room: use global, survey:<id>, project:<id> or user:<id>");
    String json = data == null || data.isMissingNode() ? "null" : data.toString();
    if (BinaryData.mayHold(json))
      BinaryData.decode(data); // a bad base64 value is the publisher's 400, not a client's surprise
    return new Broadcast(new Route(event, List.copyOf(rooms)), json);
  }

  /** The same broadcast, marked with where it came from (a Kafka record). */
  Broadcast from(EventMeta.Origin origin) {
    return new Broadcast(new Route(route.name(), route.rooms(), origin), data);
  }

  /**
   * {@code survey.responses} and POST /api/broadcast/survey-response: {@code response.new} to the
   * survey and project.
   */
  static Broadcast surveyResponse(JsonNode in, Instant now) {
    String survey = required(in, "surveyId");
    ObjectNode out = F.objectNode().put("type", "response.new").put("surveyId", survey);
    out.set(
        "responseId", in.path("responseId").isMissingNode() ? F.nullNode() : in.get("responseId"));
    out.set("response", orEmpty(in.get("response")));
    out.set("metadata", orEmpty(in.get("metadata")));
    out.put("timestamp", now.toString());
    return to(rooms(survey, text(in.path("metadata").get("projectId"))), "response.new", out);
  }

  /** {@code survey.analytics}: {@code analytics.update} to the survey and project. */
  static Broadcast analytics(JsonNode in, Instant now) {
    String survey = required(in, "surveyId");
    ObjectNode out = F.objectNode().put("type", "analytics.update").put("surveyId", survey);
    out.set("analytics", orEmpty(in.get("analytics")));
    out.put("updateType", in.hasNonNull("type") ? in.get("type").asText() : "realtime");
    out.put("timestamp", now.toString());
    return to(rooms(survey, text(in.get("projectId"))), "analytics.update", out);
  }

  /**
   * {@code surveyor.locations} and POST /api/broadcast/location: {@code surveyor.location} to the
   * survey and project.
   */
  static Broadcast location(JsonNode in, Instant now) {
    String surveyor = required(in, "surveyorId");
    if (!in.path("location").isObject())
      throw new IllegalArgumentException("location is required (an object with coordinates)");
    String survey = text(in.get("surveyId")), project = text(in.get("projectId"));
    if (survey == null && project == null)
      throw new IllegalArgumentException("surveyId or projectId is required");
    ObjectNode out = F.objectNode().put("type", "surveyor.location").put("surveyorId", surveyor);
    out.set("surveyId", survey == null ? F.nullNode() : F.textNode(survey));
    out.set("location", in.get("location"));
    out.set("metadata", orEmpty(in.get("metadata")));
    out.put("timestamp", now.toString());
    return to(rooms(survey, project), "surveyor.location", out);
  }

  /**
   * {@code system.notifications}: {@code notification} to the user's room, or to everyone without a
   * userId.
   */
  static Broadcast notification(JsonNode in, Instant now) {
    String user = text(in.get("userId"));
    ObjectNode out =
        F.objectNode()
            .put("type", "notification")
            .put("notificationType", in.hasNonNull("type") ? in.get("type").asText() : "info")
            .put("title", in.hasNonNull("title") ? in.get("title").asText() : "Notification");
    if (!in.hasNonNull("message")) throw new IllegalArgumentException("message is required");
    out.put("message", in.get("message").asText())
        .put("priority", in.hasNonNull("priority") ? in.get("priority").asText() : "normal");
    out.set("metadata", orEmpty(in.get("metadata")));
    out.put("timestamp", now.toString());
    return to(List.of(user == null ? Rooms.GLOBAL : Rooms.user(user)), "notification", out);
  }

  private static List<String> rooms(String survey, String project) {
    List<String> rooms = new ArrayList<>(2);
    if (survey != null) rooms.add("survey:" + survey);
    if (project != null) rooms.add("project:" + project);
    return rooms;
  }

  static String required(JsonNode in, String field) {
    String v = text(in.get(field));
    if (v == null || v.isEmpty()) throw new IllegalArgumentException(field + " is required");
    return v;
  }

  /** A string or number field as text; null when absent or null. */
  static String text(JsonNode n) {
    return n == null || n.isNull() || n.isMissingNode() || n.isContainerNode() ? null : n.asText();
  }

  private static JsonNode orEmpty(JsonNode n) {
    return n == null || n.isNull() ? F.objectNode() : n;
  }
}
