package io.herald.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;

/**
 * Writes text frames to the socket's Netty pipeline without flushing, so a burst of events costs one flush (one
 * write system call) per connection instead of one per event, and wraps already-encoded UTF-8 bytes instead of
 * re-encoding a String per connection. Must be used on the connection's event loop only.
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
   * Queues a final text frame over {@code utf8}, which must not change. Small messages are wrapped as they are (the
   * WebSocket encoder copies them into the frame anyway); larger ones come from {@link SharedPayload}: one direct
   * copy, or one compressed copy when the client negotiated permessage-deflate, per event loop, shared by every
   * connection that writes the same array (an event's encoding is one array for all its subscribers).
   */
  void write(byte[] utf8) {
    TextWebSocketFrame frame;
    if (utf8.length < SharedPayload.MIN_BYTES) frame = new TextWebSocketFrame(true, 0, Unpooled.wrappedBuffer(utf8));
    else if (deflate) frame = new TextWebSocketFrame(true, WebSocketExtension.RSV1, SharedPayload.deflated(ctx.alloc(), utf8));
    else frame = new TextWebSocketFrame(true, 0, SharedPayload.of(ctx.alloc(), utf8));
    ctx.write(frame, ctx.voidPromise());
    dirty = true;
  }

  /**
   * False once Netty's outbound buffer is over its high-water mark. Read from the channel, which updates on
   * every write; Vert.x's writeQueueFull() follows the writability event, which arrives later, so a burst of
   * unflushed writes would not see it.
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
