package io.herald.core.outbox;

import java.util.Objects;

/**
 * Bounds of one connection's outbox. Both bounds apply; whichever is hit first triggers the policy.
 *
 * @param maxMessages at most this many queued messages. Default 1,024: four times
 *     gorilla/websocket's 256-slot send channel, because Herald queues only what the socket's own
 *     write buffer (64 KiB in Netty) could not take.
 * @param maxBytes at most this many queued payload bytes. Default 1 MiB, Centrifuge's per-client
 *     queue budget: with 20,000 clients the worst case stays at 20 GiB only if every client stalls
 *     at once, so operators with many clients should lower it.
 * @param policy what to do on overflow; default disconnect with {@link CloseReason#SLOW_CONSUMER}
 */
public record OutboxConfig(int maxMessages, long maxBytes, OverflowPolicy policy) {
  public static final OutboxConfig DEFAULT =
      new OutboxConfig(1024, 1 << 20, new OverflowPolicy.Disconnect(CloseReason.SLOW_CONSUMER));

  public OutboxConfig {
    if (maxMessages < 1) throw new IllegalArgumentException("maxMessages must be at least 1");
    if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be at least 1");
    Objects.requireNonNull(policy, "policy");
  }
}
