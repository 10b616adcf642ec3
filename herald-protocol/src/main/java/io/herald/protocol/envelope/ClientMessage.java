package io.herald.protocol.envelope;

/** What a push-hub client may send. The seed defines only {@code ping}. */
public sealed interface ClientMessage {
  /** {@code {"type":"ping"}}: answered with a {@code pong} carrying the server time. */
  record Ping() implements ClientMessage {}
}
