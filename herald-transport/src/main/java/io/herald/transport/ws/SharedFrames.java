package io.herald.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Whole WebSocket text frames (header and payload, as the wire carries them) for the events being
 * fanned out on this event loop, each built once in direct memory (and compressed once for
 * permessage-deflate) and written to every connection as a retained view. A server's frames are not
 * masked, so the bytes are the same for everyone. Writing a frame object instead costs every
 * connection a frame, a wrapper, a header buffer, a copy of the payload and the garbage of all four
 * (a fan-out profile showed them as nearly all of the allocation); here a delivery costs one view.
 * The hub hands a loop one event to all its subscribers in a row, and connections that were slow
 * drain the same few recent events from their outboxes, so a handful of entries, remembered by
 * array identity, serve nearly every write. A message meant for one connection (a welcome, a pong,
 * a replay batch) passes through too and takes a slot for a while. Confined to the event loop's
 * thread; holds at most {@link #SLOTS} buffers of each kind.
 */
final class SharedFrames {
  /** Messages from this size up go compressed to clients that negotiated permessage-deflate. */
  static final int MIN_DEFLATE_BYTES = 1024;

  static final int SLOTS = 4;
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_BINARY = 0x82;
  private static final int RSV1 = 0x40;
  private static final ThreadLocal<SharedFrames> PER_LOOP =
      ThreadLocal.withInitial(SharedFrames::new);

  /** A few (array, frame) pairs, most recent first. */
  private static final class Slots {
    final byte[][] keys = new byte[SLOTS][];
    final ByteBuf[] values = new ByteBuf[SLOTS];

    ByteBuf get(ByteBufAllocator alloc, byte[] key, boolean compress) {
      for (int i = 0; i < SLOTS; i++) if (keys[i] == key) return values[i].retainedDuplicate();
      if (values[SLOTS - 1] != null) values[SLOTS - 1].release();
      System.arraycopy(keys, 0, keys, 1, SLOTS - 1);
      System.arraycopy(values, 0, values, 1, SLOTS - 1);
      keys[0] = key;
      values[0] = frame(alloc, compress ? Deflate.compress(key) : key, compress);
      return values[0].retainedDuplicate();
    }
  }

  private final Slots plain = new Slots();
  private final Slots deflated = new Slots();

  /**
   * A retained view of the text frame carrying {@code utf8}, compressed when asked; the caller's
   * write releases it.
   */
  static ByteBuf of(ByteBufAllocator alloc, byte[] utf8, boolean compress) {
    SharedFrames f = PER_LOOP.get();
    return (compress ? f.deflated : f.plain).get(alloc, utf8, compress);
  }

  /**
   * RFC 6455 section 5.2: FIN and opcode, then the payload length in 7, 7+16 or 7+64 bits, no mask.
   */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] payload, boolean rsv1) {
    return frame(alloc, payload, rsv1, false);
  }

  /** The same for a binary message ({@code binary}) or a text one. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] payload, boolean rsv1, boolean binary) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuf b = alloc.directBuffer(header + n, header + n);
    b.writeByte((binary ? FIN_BINARY : FIN_TEXT) | (rsv1 ? RSV1 : 0));
    if (n < 126) {
      b.writeByte(n);
    } else if (n <= 0xFFFF) {
      b.writeByte(126).writeShort(n);
    } else {
      b.writeByte(127).writeLong(n);
    }
    return b.writeBytes(payload);
  }
}
