package io.herald.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One direct copy of the event being fanned out on this event loop, shared by every connection it goes to.
 * Netty's NIO transport copies a heap buffer into a direct one on each write; for a 100 KB report batch sent to
 * a thousand connections that was 100 MB of copying per batch. The hub hands a loop one event to all its
 * subscribers in a row, so remembering the last array (by identity) turns that into one copy per loop.
 * Confined to the event loop's thread; holds at most one buffer per loop.
 */
final class SharedPayload {
  /** Below this the WebSocket encoder merges header and payload into a fresh buffer anyway. */
  static final int MIN_BYTES = 1024;
  private static final ThreadLocal<SharedPayload> PER_LOOP = ThreadLocal.withInitial(SharedPayload::new);

  private byte[] array;
  private ByteBuf direct;
  private byte[] compressedFrom;
  private ByteBuf compressed;

  /** A retained view of {@code utf8} in direct memory; the caller's write releases it. */
  static ByteBuf of(ByteBufAllocator alloc, byte[] utf8) {
    return PER_LOOP.get().view(alloc, utf8);
  }

  /** A retained view of {@code utf8} compressed for permessage-deflate (see {@link Deflate}), once per loop. */
  static ByteBuf deflated(ByteBufAllocator alloc, byte[] utf8) {
    return PER_LOOP.get().deflatedView(alloc, utf8);
  }

  private ByteBuf deflatedView(ByteBufAllocator alloc, byte[] utf8) {
    if (compressedFrom != utf8) {
      if (compressed != null) compressed.release();
      byte[] c = Deflate.compress(utf8);
      compressed = alloc.directBuffer(c.length, c.length).writeBytes(c);
      compressedFrom = utf8;
    }
    return compressed.retainedDuplicate();
  }

  private ByteBuf view(ByteBufAllocator alloc, byte[] utf8) {
    if (array != utf8) {
      if (direct != null) direct.release();
      direct = alloc.directBuffer(utf8.length, utf8.length).writeBytes(utf8);
      array = utf8;
    }
    return direct.retainedDuplicate();
  }
}
