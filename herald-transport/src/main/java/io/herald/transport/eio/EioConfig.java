package io.herald.transport.eio;

import io.herald.core.outbox.OutboxConfig;
import java.time.Duration;

/**
 * One Engine.IO endpoint's behaviour.
 *
 * @param pingInterval the server pings ("2") this often; the client answers "3"
 * @param pingTimeout a session with no answer this long after a ping is closed
 * @param maxPayload largest packet (WebSocket) or polling body in bytes; over it the session is
 *     closed
 * @param writeTimeout a WebSocket that accepts no bytes this long is closed
 * @param outbox queue in front of a slow client (both transports) and its overflow policy
 */
public record EioConfig(
    Duration pingInterval,
    Duration pingTimeout,
    int maxPayload,
    Duration writeTimeout,
    OutboxConfig outbox) {
  public EioConfig {
    if (pingInterval.toMillis() < 1 || pingTimeout.toMillis() < 1)
      throw new IllegalArgumentException("ping times must be at least 1ms");
    if (maxPayload < 64) throw new IllegalArgumentException("maxPayload must be at least 64 bytes");
  }
}
