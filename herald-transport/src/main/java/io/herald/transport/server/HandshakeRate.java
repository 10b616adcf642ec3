package io.herald.transport.server;

/**
 * Spreads new long-lived streams over time at a fixed rate, node-wide. A handshake over the rate
 * reserves the next free slot and waits for it, up to a bound; past the bound it is refused.
 * Reserving (the bucket may go below zero) needs no queue to drain: each waiter knows its own
 * delay. Handshakes are a few thousand a second at most, so one lock is cheap.
 */
final class HandshakeRate {
  private final double perNano;
  private final long maxWaitNanos;
  private final double burst;
  private double tokens;
  private long last;

  /**
   * @param perSecond handshakes a second; {@code maxWaitNanos} the longest wait before a refusal
   */
  HandshakeRate(int perSecond, long maxWaitNanos, long now) {
    this.perNano = perSecond / 1e9;
    this.maxWaitNanos = maxWaitNanos;
    // A tenth of a second's worth may pass at once: a burst of a few clients is not delayed.
    this.burst = Math.max(1, perSecond / 10.0);
    this.tokens = burst;
    this.last = now;
  }

  /**
   * The delay in nanoseconds before this handshake may go on (0: now), or -1 when it would wait too
   * long.
   */
  synchronized long reserve(long now) {
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    long wait = (long) Math.ceil((1 - tokens) / perNano);
    if (wait > maxWaitNanos) return -1;
    tokens -= 1;
    return wait;
  }
}
