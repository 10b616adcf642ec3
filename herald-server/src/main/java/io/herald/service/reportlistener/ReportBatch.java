package io.herald.service.reportlistener;

import java.util.List;

/**
 * The data of the listener's messages: the seed's {@code reports} batch, and the end of a resume's
 * replay.
 */
final class ReportBatch {
  static final String TYPE = "reports";

  private ReportBatch() {}

  /**
   * The data of a {@code reports} message: {@code {"reports":[...],"count","from_seq","to_seq"}}.
   */
  static String data(List<ReportRow> batch) {
    StringBuilder b = new StringBuilder(64 + batch.size() * 200).append("{\"reports\":[");
    for (int i = 0; i < batch.size(); i++) {
      if (i > 0) b.append(',');
      batch.get(i).writeJson(b);
    }
    return b.append("],\"count\":")
        .append(batch.size())
        .append(",\"from_seq\":")
        .append(batch.getFirst().seq())
        .append(",\"to_seq\":")
        .append(batch.getLast().seq())
        .append('}')
        .toString();
  }

  /**
   * Sent once a resume's replay is over and live batches follow.
   *
   * @param complete false when the replay stopped at HERALD_MAX_REPLAY: reports after {@code
   *     lastSeq} that were broadcast before the client connected were not sent
   */
  static String replayEnd(long since, int replayed, boolean complete, long lastSeq) {
    return "{\"since_seq\":"
        + since
        + ",\"replayed\":"
        + replayed
        + ",\"complete\":"
        + complete
        + ",\"last_seq\":"
        + lastSeq
        + "}";
  }
}
