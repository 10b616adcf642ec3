package io.herald.core.event;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One wire representation of an event (the push-hub JSON envelope, a Socket.IO packet, an SSE block
 * ...). Each encoding gets a small slot number so that a {@link Frame} can cache its bytes in an
 * array instead of a map. Create encodings once, as constants: there are at most {@link #MAX} of
 * them per JVM.
 *
 * @param <T> the encoded form, immutable once built (for example {@code byte[]} that nobody
 *     mutates)
 */
public final class Encoding<T> {
  /** Upper bound on encodings per JVM; a Frame's cache is this long. */
  public static final int MAX = 16;

  private static final AtomicInteger NEXT = new AtomicInteger();

  final int slot;
  private final String name;
  private final Function<Event, T> encoder;

  private Encoding(String name, Function<Event, T> encoder) {
    this.slot = NEXT.getAndIncrement();
    if (slot >= MAX) throw new IllegalStateException("too many encodings: " + name);
    this.name = name;
    this.encoder = encoder;
  }

  /**
   * Registers an encoding. The encoder must be pure: it may run on any thread, at most once per
   * event.
   */
  public static <T> Encoding<T> of(String name, Function<Event, T> encoder) {
    return new Encoding<>(name, encoder);
  }

  T encode(Event event) {
    return encoder.apply(event);
  }

  @Override
  public String toString() {
    return "Encoding[" + name + "]";
  }
}
