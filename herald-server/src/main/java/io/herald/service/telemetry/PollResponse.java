package io.herald.service.telemetry;

/**
 * The polling response body: {@code
 * {"events":[...],"lastEventId":"...","hasMore":false,"missed":false}}.
 */
final class PollResponse {
  private PollResponse() {}

  static String json(VisibleReader.Result r) {
    StringBuilder b = new StringBuilder(64 + r.events().size() * 256).append("{\"events\":[");
    for (int i = 0; i < r.events().size(); i++) {
      if (i > 0) b.append(',');
      b.append(r.events().get(i).json());
    }
    return b.append("],\"lastEventId\":\"")
        .append(r.cursor())
        .append("\",\"hasMore\":")
        .append(r.more())
        .append(",\"missed\":")
        .append(r.missed())
        .append('}')
        .toString();
  }
}
