package io.herald.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtension;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.websocket.WebSocketImplBase;

/**
 * Writes text frames straight to the socket's Netty pipeline without flushing, so a burst of events costs one
 * flush (one write system call) per connection instead of one per event, and wraps already-encoded UTF-8 bytes
 * instead of re-encoding a String per connection. Vert.x's public WebSocket API flushes every frame and takes
 * text only as String; the handler context it exposes is not public API, so its use is confined to this class
 * (covered by the push-hub WebSocket tests). Must be used on the connection's event loop only.
 */
final class SocketWriter {
  private final ChannelHandlerContext ctx;
  /** The client negotiated permessage-deflate and accepts a full window: large events go compressed. */
  private final boolean deflate;
  private boolean dirty;

  /** @param onWritable called on the event loop each time the socket can take bytes again */
  SocketWriter(ServerWebSocket ws, Runnable onWritable) {
    this.ctx = ((WebSocketImplBase<?>) ws).channelHandlerContext();
    this.deflate = takeOverDeflate(ctx, ws.headers().get("Sec-WebSocket-Extensions"));
    // Vert.x calls its drainHandler only after its own writes filled the queue; ours bypass it, so listen to
    // Netty's writability event directly, ahead of Vert.x's handler, and pass the event on.
    ctx.pipeline().addBefore(ctx.name(), "herald-writability", new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext c) {
        if (c.channel().isWritable()) onWritable.run();
        c.fireChannelWritabilityChanged();
      }
    });
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
   * Removes Netty's per-connection permessage-deflate encoder, which would compress every message once per
   * connection; frames then go uncompressed, except large events, compressed once for everyone. Returns whether
   * compressed frames may be sent: not when the client limited the server's window below DEFLATE's 15 bits.
   */
  private static boolean takeOverDeflate(ChannelHandlerContext ctx, String offer) {
    String encoder = null;  // the class is package-private in Netty: found by name
    for (var h : ctx.pipeline()) if (h.getValue().getClass().getSimpleName().equals("PerMessageDeflateEncoder")) encoder = h.getKey();
    if (encoder == null) return false;
    ctx.pipeline().remove(encoder);
    if (offer == null) return false;
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("server_max_window_bits\\s*=\\s*\"?(\\d+)").matcher(offer);
    while (m.find()) if (Integer.parseInt(m.group(1)) < 15) return false;
    return true;
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
