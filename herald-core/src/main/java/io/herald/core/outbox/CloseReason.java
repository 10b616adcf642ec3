package io.herald.core.outbox;

/**
 * Every way Herald closes a client connection, in one catalog. Codes 1000-1015 are RFC 6455's;
 * Herald's own codes live in 4000-4999 (the range RFC 6455 leaves to applications), grouped by
 * cause: 40xx the client's fault or state, 41xx server policy. Messages are fixed strings so tests
 * and clients can match them.
 *
 * @param code the WebSocket close code
 * @param reason the close reason text (at most 123 bytes, as RFC 6455 allows)
 */
public record CloseReason(int code, String reason) {
  public static final CloseReason NORMAL = new CloseReason(1000, "normal closure");

  /** Server shutting down; clients should reconnect (to another node, or later). */
  public static final CloseReason SHUTDOWN = new CloseReason(1001, "server shutting down");

  /** A message the protocol above WebSocket cannot parse (an Engine.IO packet, for example). */
  public static final CloseReason PROTOCOL_ERROR = new CloseReason(1002, "protocol error");

  /**
   * A Socket.IO packet the protocol does not allow where it came (a second CONNECT, an event before
   * one, ...).
   */
  public static final CloseReason INVALID_PACKET =
      new CloseReason(1002, "invalid Socket.IO packet");

  /** The client sent a binary frame where only text is accepted. */
  public static final CloseReason UNSUPPORTED_DATA =
      new CloseReason(1003, "binary messages are not accepted");

  /**
   * Engine.IO: a long-polling GET the client gave up on (its connection closed while parked) ends
   * the session.
   */
  public static final CloseReason POLL_ABORTED = new CloseReason(1001, "polling request aborted");

  /**
   * Engine.IO: a probe WebSocket opened while another one of the same session is open (policy
   * violation).
   */
  public static final CloseReason SECOND_PROBE =
      new CloseReason(1008, "one upgrade probe at a time");

  /** Engine.IO: a WebSocket for a session that is on a WebSocket already. */
  public static final CloseReason ALREADY_UPGRADED =
      new CloseReason(1008, "session already upgraded");

  /** The client sent a message over the inbound size limit. */
  public static final CloseReason MESSAGE_TOO_BIG = new CloseReason(1009, "message too big");

  public static final CloseReason INTERNAL_ERROR = new CloseReason(1011, "internal error");

  /** No pong (or any frame) from the client within the pong timeout. */
  public static final CloseReason HEARTBEAT_TIMEOUT = new CloseReason(4001, "heartbeat timeout");

  /** Socket.IO: a session that has joined no namespace within the connect timeout. */
  public static final CloseReason CONNECT_TIMEOUT = new CloseReason(4002, "connect timeout");

  /**
   * Socket.IO: events were evicted from history while a polling session moved to a WebSocket; the
   * client recovers from its offset.
   */
  public static final CloseReason UPGRADE_GAP = new CloseReason(4004, "upgrade gap");

  /**
   * The client could not take messages fast enough: its outbox overflowed (count or bytes). Queue
   * discarded.
   */
  public static final CloseReason SLOW_CONSUMER = new CloseReason(4008, "slow consumer");

  /** The socket accepted no bytes for longer than the write timeout. Queue discarded. */
  public static final CloseReason WRITE_TIMEOUT = new CloseReason(4009, "write timeout");

  public CloseReason {
    if (code < 1000 || code > 4999)
      throw new IllegalArgumentException("close code out of range: " + code);
  }
}
