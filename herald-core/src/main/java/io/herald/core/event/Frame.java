package io.herald.core.event;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An event plus its encodings, each built at most once and then shared by every subscriber ("encode
 * once, fan out many"). Thread-safe: fan-out tasks on several event loops may ask for the same
 * encoding at once; the first one encodes under the frame's monitor and the rest reuse it.
 */
public final class Frame {
  private final Event event;
  private final long acceptedNanos;
  private final AtomicReferenceArray<Object> encoded = new AtomicReferenceArray<>(Encoding.MAX);

  /**
   * @param acceptedNanos {@link System#nanoTime()} when the hub accepted the event, for
   *     publish-to-write latency
   */
  public Frame(Event event, long acceptedNanos) {
    this.event = event;
    this.acceptedNanos = acceptedNanos;
  }

  public Event event() {
    return event;
  }

  public long seq() {
    return event.seq();
  }

  public long acceptedNanos() {
    return acceptedNanos;
  }

  /** The event in the given encoding, encoded on first use and cached for every later caller. */
  @SuppressWarnings("unchecked")
  public <T> T encoded(Encoding<T> encoding) {
    Object cached = encoded.get(encoding.slot);
    if (cached != null) return (T) cached;
    synchronized (this) {
      cached = encoded.get(encoding.slot);
      if (cached == null) {
        cached = encoding.encode(event);
        encoded.set(encoding.slot, cached);
      }
      return (T) cached;
    }
  }
}
