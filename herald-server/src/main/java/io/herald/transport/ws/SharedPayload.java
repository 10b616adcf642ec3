package io.herald.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.function.UnaryOperator;

/**
 * The events being fanned out on this event loop, each copied once into direct memory (and compressed once for
 * permessage-deflate), shared by every connection they go to. Netty's NIO transport copies a heap buffer into a
 * direct one on each write; for a 100 KB report batch sent to a thousand connections that was 100 MB of copying
 * per batch. The hub hands a loop one event to all its subscribers in a row, and connections that were slow drain
 * the same few recent events from their outboxes, so a handful of entries, remembered by array identity, serve
 * nearly every write. A large message meant for one connection (a replay batch) passes through too and takes a
 * slot for a while. Confined to the event loop's thread; holds at most {@link #SLOTS} buffers of each kind.
 */
final class SharedPayload {
  /** Below this the WebSocket encoder merges header and payload into a fresh buffer anyway. */
  static final int MIN_BYTES = 1024;
  static final int SLOTS = 4;
  private static final ThreadLocal<SharedPayload> PER_LOOP = ThreadLocal.withInitial(SharedPayload::new);

  /** A few (array, buffer) pairs, most recent first. */
  private static final class Slots {
    final byte[][] keys = new byte[SLOTS][];
    final ByteBuf[] values = new ByteBuf[SLOTS];

    ByteBuf get(ByteBufAllocator alloc, byte[] key, UnaryOperator<byte[]> transform) {
      for (int i = 0; i < SLOTS; i++) if (keys[i] == key) return values[i].retainedDuplicate();
      if (values[SLOTS - 1] != null) values[SLOTS - 1].release();
      System.arraycopy(keys, 0, keys, 1, SLOTS - 1);
      System.arraycopy(values, 0, values, 1, SLOTS - 1);
      byte[] bytes = transform.apply(key);
      keys[0] = key;
      values[0] = alloc.directBuffer(bytes.length, bytes.length).writeBytes(bytes);
      return values[0].retainedDuplicate();
    }
  }

  private final Slots direct = new Slots();
  private final Slots deflated = new Slots();

  /** A retained view of {@code utf8} in direct memory; the caller's write releases it. */
  static ByteBuf of(ByteBufAllocator alloc, byte[] utf8) {
    return PER_LOOP.get().direct.get(alloc, utf8, b -> b);
  }

  /** A retained view of {@code utf8} compressed for permessage-deflate (see {@link Deflate}). */
  static ByteBuf deflated(ByteBufAllocator alloc, byte[] utf8) {
    return PER_LOOP.get().deflated.get(alloc, utf8, Deflate::compress);
  }
}
