package io.herald.transport.ws;

import io.netty.buffer.Unpooled;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;

/**
 * Builds a text frame around bytes that are already UTF-8, so an event encoded once is written to every socket
 * without re-encoding a String per subscriber. Vert.x's public {@code WebSocketFrame.textFrame} only takes a
 * String; the implementation class's ByteBuf constructor is not public API, so its use is confined here and
 * covered by {@code TextFramesTest}.
 */
final class TextFrames {
  private TextFrames() {}

  /** A final text frame over {@code utf8}; the array is wrapped, not copied, and must not be mutated. */
  static WebSocketFrame text(byte[] utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8), true);
  }
}
