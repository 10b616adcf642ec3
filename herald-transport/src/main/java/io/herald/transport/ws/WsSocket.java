package io.herald.transport.ws;

import io.herald.core.outbox.CloseReason;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An upgraded WebSocket, served by this Netty handler at the end of the channel's pipeline instead
 * of Vert.x's WebSocket objects (see {@link WsUpgrade} for why). It turns frames into {@link
 * Events}: whole text messages, a binary message, any sign of life, writability and the end. Pings
 * are answered here, a close frame is echoed, and a close we start waits {@link
 * #CLOSING_TIMEOUT_MS} for the client's answer before the TCP connection is dropped, so a client
 * that stopped reading cannot hold its socket. Confined to the channel's event loop.
 */
public final class WsSocket extends ChannelInboundHandlerAdapter {
  /**
   * How long a close we sent waits for the client's close frame, once it has left (was written to
   * the kernel).
   */
  static final long CLOSING_TIMEOUT_MS = 2_000;

  /**
   * How long a close frame may wait behind what was written before it. A client that stopped
   * reading (the reason for a 4008 or 4009) gets its close code if it reads again within this time;
   * one stalled longer is dropped without a close frame (it sees 1006). Bounded, so a stalled
   * client cannot hold its socket and buffers for long.
   */
  static final long CLOSE_FLUSH_TIMEOUT_MS = 10_000;

  /** What the connection above hears from the socket. Called on the event loop. */
  interface Events {
    Events NONE = new Events() {};

    /** A whole text message of at most the message limit. */
    default void text(String message) {}

    /** A whole binary message of at most the message limit. */
    default void binary(byte[] message) {}

    /** Anything arrived from the client (a frame of any kind): the peer is alive. */
    default void seen() {}

    default void writable() {}

    /** A client message over the limit. */
    default void tooBig() {}

    /** The TCP connection is gone, whoever closed it. Called once. */
    default void closed() {}
  }

  private final int maxMessageBytes;

  /** The client negotiated permessage-deflate: large messages go compressed. */
  private final boolean deflate;

  private ChannelHandlerContext ctx;
  private Events events = Events.NONE;
  private boolean closeSent;

  /** Frames were written since the last flush. */
  private boolean dirty;

  WsSocket(int maxMessageBytes, boolean deflate) {
    this.maxMessageBytes = maxMessageBytes;
    this.deflate = deflate;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  void events(Events events) {
    this.events = events;
  }

  boolean active() {
    return ctx.channel().isActive();
  }

  /**
   * Queues a text frame over {@code utf8}, which must not change, without flushing, so a burst of
   * events costs one flush (one write system call) per connection. The whole frame comes from
   * {@link SharedFrames}, built once per event loop for every connection that writes the same array
   * (an event's encoding is one array for all its subscribers), compressed when the client
   * negotiated permessage-deflate and the message is large; it is a plain buffer, so the frame
   * encoder passes it through.
   */
  void write(byte[] utf8) {
    ctx.write(
        SharedFrames.of(
            ctx.alloc(), utf8, deflate && utf8.length >= SharedFrames.MIN_DEFLATE_BYTES),
        ctx.voidPromise());
    dirty = true;
  }

  /**
   * Queues a binary frame over {@code data} without flushing; not shared between connections
   * (binary is rare).
   */
  void writeBinary(byte[] data) {
    ctx.write(SharedFrames.frame(ctx.alloc(), data, false, true), ctx.voidPromise());
    dirty = true;
  }

  /** Runs {@code task} on this socket's event loop after {@code millis}; the handle cancels it. */
  Future<?> schedule(Runnable task, long millis) {
    return ctx.executor().schedule(task, millis, TimeUnit.MILLISECONDS);
  }

  void flush() {
    if (dirty) {
      dirty = false;
      ctx.flush();
    }
  }

  /**
   * False once Netty's outbound buffer is over its high-water mark. Read from the channel, which
   * updates on every write, rather than waiting for the writability event, which arrives later: a
   * burst of unflushed writes would not see it.
   */
  boolean writable() {
    return ctx.channel().isWritable();
  }

  void ping() {
    ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise());
  }

  /**
   * Sends a close frame (after whatever was written before) and drops the connection once the
   * client answers, or {@value #CLOSING_TIMEOUT_MS} ms after the frame left, or {@value
   * #CLOSE_FLUSH_TIMEOUT_MS} ms after this call when the frame never left (the client reads
   * nothing).
   */
  public void close(CloseReason reason) {
    if (closeSent || !ctx.channel().isActive()) return;
    closeSent = true;
    var stuck =
        ctx.executor()
            .schedule(() -> ctx.channel().close(), CLOSE_FLUSH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    ctx.writeAndFlush(new CloseWebSocketFrame(reason.code(), reason.reason()))
        .addListener(
            f -> {
              stuck.cancel(false);
              if (f.isSuccess())
                ctx.executor()
                    .schedule(
                        () -> ctx.channel().close(), CLOSING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
              else ctx.channel().close();
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      events.seen();
      switch (msg) {
        case TextWebSocketFrame t when !closeSent -> text(t);
        case BinaryWebSocketFrame b when !closeSent -> binary(b);
        case PingWebSocketFrame p ->
            ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()), ctx.voidPromise());
        case CloseWebSocketFrame c -> answerClose(c);
        default -> {} // pongs (seen above), data after our close frame, bytes that arrived with the
          // upgrade
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void text(TextWebSocketFrame t) {
    if (t.content().readableBytes() > maxMessageBytes) events.tooBig();
    else events.text(t.content().toString(StandardCharsets.UTF_8));
  }

  private void binary(BinaryWebSocketFrame b) {
    if (b.content().readableBytes() > maxMessageBytes) events.tooBig();
    else events.binary(ByteBufUtil.getBytes(b.content()));
  }

  /**
   * The client's close frame: the answer to ours, or its own close, which we echo (with its code)
   * first.
   */
  private void answerClose(CloseWebSocketFrame c) {
    if (closeSent) {
      ctx.channel().close();
      return;
    }
    closeSent = true;
    CloseWebSocketFrame echo =
        c.statusCode() < 0
            ? new CloseWebSocketFrame()
            : new CloseWebSocketFrame(c.statusCode(), "");
    ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (ctx.channel().isWritable()) events.writable();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    switch (cause) {
      case TooLongFrameException t ->
          events.tooBig(); // a fragmented message over the limit (the aggregator)
      case CorruptedWebSocketFrameException
              c -> {} // the frame decoder has sent its close code and closes
      default -> ctx.channel().close(); // I/O errors: the connection is gone either way
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    Events e = events;
    events = Events.NONE;
    e.closed();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    ReferenceCountUtil.release(
        evt); // Vert.x's server events are meant for its own connections, not ours
  }
}
