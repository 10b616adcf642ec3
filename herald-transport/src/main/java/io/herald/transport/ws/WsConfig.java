package io.herald.transport.ws;

import io.herald.core.event.Encoding;
import io.herald.core.outbox.OutboxConfig;
import java.time.Duration;
import java.util.List;

/**
 * Per-connection WebSocket behaviour. Defaults are seed 004's (gorilla/websocket's chat example
 * values).
 *
 * @param pingPeriod server ping interval (54 s: 90% of the pong timeout, so a ping always lands in
 *     time)
 * @param pongTimeout close with 4001 when nothing (pong or message) came from the client for this
 *     long (60 s)
 * @param writeTimeout close with 4009 when the socket accepted no bytes for this long (10 s)
 * @param maxMessageBytes largest client message in UTF-8 bytes; over it: close 1009 (512)
 * @param outbox the queue in front of a slow socket and what happens when it is full
 * @param textPing the heartbeat sends this text message (Engine.IO's "2") instead of a ping frame;
 *     null: a ping frame
 * @param attachments binary messages that follow an event's text message (Socket.IO's attachments;
 *     an empty list for most events); null: events are one text message
 */
public record WsConfig(
    Duration pingPeriod,
    Duration pongTimeout,
    Duration writeTimeout,
    int maxMessageBytes,
    OutboxConfig outbox,
    String textPing,
    Encoding<List<byte[]>> attachments) {
  public static final WsConfig DEFAULT =
      new WsConfig(
          Duration.ofSeconds(54),
          Duration.ofSeconds(60),
          Duration.ofSeconds(10),
          512,
          OutboxConfig.DEFAULT);

  /** With WebSocket ping frames as the heartbeat. */
  public WsConfig(
      Duration pingPeriod,
      Duration pongTimeout,
      Duration writeTimeout,
      int maxMessageBytes,
      OutboxConfig outbox) {
    this(pingPeriod, pongTimeout, writeTimeout, maxMessageBytes, outbox, null, null);
  }

  public WsConfig {
    if (pingPeriod.toMillis() < 1 || pongTimeout.toMillis() < 1 || writeTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("WebSocket timeouts must be at least 1ms");
    }
    if (maxMessageBytes < 1) throw new IllegalArgumentException("maxMessageBytes must be positive");
  }
}
