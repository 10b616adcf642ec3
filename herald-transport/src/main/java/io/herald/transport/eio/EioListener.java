package io.herald.transport.eio;

/**
 * What the layer above (Socket.IO) hears from one Engine.IO session. Called on the session's loop.
 */
public interface EioListener {
  /** The data of one Engine.IO message packet (a Socket.IO packet). */
  void message(String data);

  /** One binary Engine.IO message (a Socket.IO attachment). */
  void binary(byte[] data);

  /** The session ended, whoever ended it. Called once. */
  void closed();

  /**
   * The session moved from long-polling to a WebSocket (Engine.IO's upgrade); called on the new
   * transport's loop, where every later callback runs. {@code lastSeq} is the last channel event
   * the old transport was given: the new subscription resumes after it.
   */
  default void upgraded(EioTransport transport, long lastSeq) {}

  /**
   * Called on the polling session's loop while it hands over: the channel position the session has
   * had everything up to, given that {@code lastDelivered} is the last event it was given (a layer
   * that hands out only some events, by room, knows a later position).
   */
  default long position(long lastDelivered) {
    return lastDelivered;
  }
}
