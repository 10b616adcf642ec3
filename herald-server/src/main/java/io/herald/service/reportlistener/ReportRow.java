package io.herald.service.reportlistener;

import io.herald.protocol.json.Json;
import java.time.Instant;

/** One row of {@code reports} as the seed broadcasts it: every column but the image. */
record ReportRow(
    long seq,
    Instant ts,
    String id,
    int team,
    float latitude,
    float longitude,
    Float x,
    Float y,
    String actionId) {

  /**
   * The seed's JSON: {@code
   * {"seq","timestamp","id","team","latitude","longitude","x","y","action_id"}}.
   */
  void writeJson(StringBuilder b) {
    b.append("{\"seq\":")
        .append(seq)
        .append(",\"timestamp\":\"")
        .append(ts)
        .append("\",\"id\":")
        .append(Json.quote(id))
        .append(",\"team\":")
        .append(team)
        .append(",\"latitude\":")
        .append(latitude)
        .append(",\"longitude\":")
        .append(longitude)
        .append(",\"x\":")
        .append(x)
        .append(",\"y\":")
        .append(y)
        .append(",\"action_id\":")
        .append(actionId == null ? "null" : Json.quote(actionId))
        .append('}');
  }
}
