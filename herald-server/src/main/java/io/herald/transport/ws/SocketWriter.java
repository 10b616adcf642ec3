package io.herald.transport.ws;

import io.netty.channel.ChannelHandlerContext;

/**
 * Writes text frames to the socket's Netty pipeline without flushing, so a burst of events costs one flush (one
 * write system call) per connection instead of one per event, and writes frames built once for every connection
 * instead of encoding a frame per connection. Must be used on the connection's event loop only.
 */
final class SocketWriter {
  private final ChannelHandlerContext ctx;
  /** The client negotiated permessage-deflate and accepts a full window: large events go compressed. */
  private final boolean deflate;
  private boolean dirty;

  SocketWriter(WsSocket socket) {
    this.ctx = socket.context();
    this.deflate = socket.deflate();
  }

  /**
   * Queues a text frame over {@code utf8}, which must not change: the whole frame comes from {@link SharedFrames},
   * built once per event loop for every connection that writes the same array (an event's encoding is one array
   * for all its subscribers), compressed when the client negotiated permessage-deflate and the message is large.
   * The frame is a plain buffer, so the WebSocket encoder passes it through untouched.
   */
  void write(byte[] utf8) {
    ctx.write(SharedFrames.of(ctx.alloc(), utf8, deflate && utf8.length >= SharedFrames.MIN_DEFLATE_BYTES), ctx.voidPromise());
    dirty = true;
  }

  /**
   * False once Netty's outbound buffer is over its high-water mark. Read from the channel, which updates on
   * every write, rather than waiting for the writability event, which arrives later: a burst of unflushed writes
   * would not see it.
   */
  boolean writable() {
    return ctx.channel().isWritable();
  }

  void flush() {
    if (dirty) {
      dirty = false;
      ctx.flush();
    }
  }
}
