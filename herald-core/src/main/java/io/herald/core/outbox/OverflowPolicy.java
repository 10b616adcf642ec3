package io.herald.core.outbox;

/** What an {@link Outbox} does when a message would take it over its bounds. */
public sealed interface OverflowPolicy {
  /**
   * Refuse the message, report {@link Offer#OVERFLOWED}; the owner closes with {@code reason} and
   * discards the queue.
   */
  record Disconnect(CloseReason reason) implements OverflowPolicy {}

  /**
   * Refuse the new message and keep the queue (for volatile messages, as socket.io's {@code
   * volatile} flag).
   */
  record DropNewest() implements OverflowPolicy {}

  /**
   * Evict the oldest messages until the new one fits (for state channels where only the latest
   * matters).
   */
  record KeepLatest() implements OverflowPolicy {}
}
