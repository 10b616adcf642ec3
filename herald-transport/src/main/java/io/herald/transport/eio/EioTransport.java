package io.herald.transport.eio;

import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import java.util.concurrent.Executor;

/**
 * One Engine.IO session as the layer above sees it, whichever transport carries it. Every method
 * but {@link #loop()} must be called on that loop, where the session's callbacks also run.
 */
public interface EioTransport {
  String sid();

  /** The client's IP address as text (for per-address limits), null when unknown. */
  String remoteHost();

  /** Where the session's callbacks run and the hub must deliver. */
  Executor loop();

  /** The hub subscriber that writes this session's channel events. */
  Subscriber subscriber();

  /**
   * Channel events up to {@code seq} are not for this client any more (it has them, or they predate
   * it).
   */
  void skipThrough(long seq);

  /** Sends one Engine.IO packet (for example {@code 42["pong"]}), in order with events. */
  void send(String packet);

  /** Sends one binary message (a Socket.IO attachment), in order with everything else. */
  void sendBinary(byte[] data);

  void close(CloseReason reason);
}
