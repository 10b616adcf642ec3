package io.herald.core.outbox;

/** The result of {@link Outbox#offer}. */
public enum Offer {
  /** Queued. */
  ACCEPTED,
  /**
   * Not queued, by policy (volatile message or {@link OverflowPolicy.DropNewest}); the connection
   * stays.
   */
  DROPPED,
  /**
   * Not queued and the queue was discarded: the owner must close the connection with the policy's
   * reason.
   */
  OVERFLOWED,
  /** The outbox was already closed. */
  CLOSED
}
