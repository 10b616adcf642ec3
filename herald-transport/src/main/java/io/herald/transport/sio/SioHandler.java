package io.herald.transport.sio;

import io.herald.protocol.sio.SioPacket;
import io.herald.transport.eio.EioTransport;

/** One joined namespace of one connection. Called on the connection's current event loop. */
public interface SioHandler {
  /** An event for this namespace; binary arguments are in place already. */
  void event(SioPacket.Event event);

  /** The client's answer to an emit of ours that asked for one. */
  default void ack(SioPacket.Ack ack) {}

  /** The client left the namespace (DISCONNECT); the connection stays open and may join again. */
  void left();

  /** The connection is gone, whoever ended it. */
  void closed();

  /**
   * The client sent more packets than the rate limit allows; they are dropped. Called once per
   * window.
   */
  default void rateLimited(long retryAfterMillis) {}

  /**
   * The connection moved from polling to a WebSocket; see {@link
   * io.herald.transport.eio.EioListener#upgraded}.
   */
  default void upgraded(EioTransport next, long lastSeq) {}

  /** See {@link io.herald.transport.eio.EioListener#position}. */
  default long position(long lastDelivered) {
    return lastDelivered;
  }
}
