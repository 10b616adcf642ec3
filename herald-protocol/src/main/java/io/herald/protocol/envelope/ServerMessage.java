package io.herald.protocol.envelope;

import java.time.Instant;

/**
 * Messages the push hub sends that are not channel events. Events themselves are encoded by {@link
 * Envelope#EVENT}; these are per-connection, so each is encoded for its one recipient.
 */
public sealed interface ServerMessage {
  /** First message on every connection. {@code lastSeq} lets a client resume later from here. */
  record ConnectionEstablished(long lastSeq) implements ServerMessage {}

  /** Answer to a client {@code ping}. */
  record Pong() implements ServerMessage {}

  /** The client sent something invalid; the connection stays open. */
  record Error(ErrorCode code, String message) implements ServerMessage {}

  /**
   * Sent before the replayed events of a resume ({@code ?since=N}).
   *
   * @param recovered false when history no longer reaches back to {@code since}: events were missed
   * @param replayed how many events follow from history
   */
  record Resumed(long since, boolean recovered, int replayed, long lastSeq)
      implements ServerMessage {}

  /** The timestamp every envelope carries. */
  static String stamp(Instant now) {
    return Stamp.of(now);
  }
}
