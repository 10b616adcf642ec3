package io.herald.transport.ws;

import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a Vert.x HTTP request to a {@link WsSocket} on the same Netty channel, the way Vert.x
 * upgrades its own (Netty's handshaker, then a handler swap), but without Vert.x's WebSocket
 * objects: those keep the HTTP connection reachable and give every connection two inbound message
 * queues with fixed 1,024-slot arrays, about 8 KB per idle client, more than everything else a
 * connection holds. The Netty context behind Vert.x's request is not public API; its use is
 * confined to this class and covered by every WebSocket test.
 *
 * <p>The pipeline after the upgrade: frame decoder, permessage-deflate inflater when negotiated,
 * UTF-8 check, aggregation of fragmented messages, {@link WsSocket}; outbound only the frame
 * encoder (for control frames: data frames are written whole, see {@link SharedFrames}).
 */
public final class WsUpgrade {
  private static final Logger LOG = LoggerFactory.getLogger(WsUpgrade.class);

  /**
   * Largest frame and largest fragmented message read for a service whose own limit is lower
   * (push-hub's 512 bytes): such messages are read whole and refused with the service's close code.
   * A larger limit (Engine.IO's maxPayload) reads up to that limit instead.
   */
  static final int MAX_FRAME = 64 * 1024;

  /**
   * Shared by every connection's frame decoder; RSV1 (a compressed frame) is allowed only with
   * permessage-deflate.
   */
  private static final WebSocketDecoderConfig DECODER =
      WebSocketDecoderConfig.newBuilder()
          .maxFramePayloadLength(MAX_FRAME)
          .allowExtensions(false)
          .expectMaskedFrames(true)
          .allowMaskMismatch(false)
          .closeOnProtocolViolation(true)
          .withUTF8Validator(false) // checked after inflation, by herald-utf8
          .build();

  private static final WebSocketDecoderConfig DECODER_DEFLATE =
      DECODER.toBuilder().allowExtensions(true).build();

  /**
   * permessage-deflate, negotiated here rather than by Vert.x's extension handler so that only the
   * inflater is installed: outgoing frames are compressed once per event loop for every connection
   * (SharedFrames), never per connection. Each message is compressed on its own, so {@code
   * server_no_context_takeover} is fine; a client that limits the server's window below DEFLATE's
   * 15 bits gets no compression (compressed frames are shared).
   */
  private static final PerMessageDeflateServerExtensionHandshaker DEFLATE =
      new PerMessageDeflateServerExtensionHandshaker(
          6, false, PerMessageDeflateServerExtensionHandshaker.MAX_WINDOW_SIZE, true, false);

  private WsUpgrade() {}

  /**
   * Answers {@code req} with 101 and calls {@code onOpen} with the socket once the client may send
   * frames, or answers with a JSON error (400 not an upgrade or not HTTP/1.1, 426 unsupported
   * version; HeraldServer answers other methods with 405). Runs on the request's event loop.
   */
  public static void accept(
      HttpServerRequest req, int maxMessageBytes, boolean deflate, Consumer<WsSocket> onOpen) {
    boolean asksForWebSocket = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
    if (asksForWebSocket
        && req.version() != io.vertx.core.http.HttpVersion.HTTP_1_1) { // RFC 6455: HTTP/1.1 only
      new ApiError(400, ErrorCode.INVALID_MESSAGE, "a WebSocket upgrade needs HTTP/1.1")
          .send(req.response());
      return;
    }
    FullHttpRequest handshake = nettyRequest(req);
    WebSocketServerExtension compression =
        deflate ? negotiateDeflate(req.getHeader("Sec-WebSocket-Extensions")) : null;
    String connection = req.getHeader("Connection");
    // Only an RFC 6455 upgrade gets a handshaker: without Sec-WebSocket-Version Netty's factory
    // picks the pre-RFC
    // draft 00, which waits for an 8-byte key body that a request upgrading to something else (h2c)
    // never sends.
    boolean rfc6455 = asksForWebSocket && req.getHeader("Sec-WebSocket-Version") != null;
    WebSocketServerHandshaker handshaker =
        !rfc6455 || connection == null || !connection.toLowerCase().contains("upgrade")
            ? null
            : factory(req, compression != null, readLimit(maxMessageBytes))
                .newHandshaker(handshake);
    if (handshaker == null) {
      handshake.release();
      if (asksForWebSocket && req.getHeader("Sec-WebSocket-Version") != null) {
        req.response().putHeader("Sec-WebSocket-Version", "13");
        new ApiError(
                426, ErrorCode.INVALID_MESSAGE, "unsupported WebSocket version (13 is supported)")
            .send(req.response());
      } else {
        new ApiError(400, ErrorCode.INVALID_MESSAGE, "not a WebSocket upgrade request")
            .send(req.response());
      }
      return;
    }
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    ChannelPipeline pipeline = channel.pipeline();
    WsSocket socket = new WsSocket(maxMessageBytes, compression != null);
    DefaultHttpHeaders responseHeaders = new DefaultHttpHeaders();
    if (compression != null)
      responseHeaders.add(
          HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS, headerValue(compression.newReponseData()));
    // Swapped before the handshake, whose write usually completes within the call: from here on the
    // channel carries
    // WebSocket frames, never requests. Vert.x's HTTP connection object, out of the pipeline,
    // becomes garbage.
    if (pipeline.get(ChunkedWriteHandler.class) != null) pipeline.remove(ChunkedWriteHandler.class);
    pipeline.replace("handler", "herald-ws", socket);
    handshaker
        .handshake(channel, handshake, responseHeaders, channel.newPromise())
        .addListener(
            f -> {
              handshake.release();
              if (!f.isSuccess()) {
                channel.close();
                return;
              }
              if (compression != null)
                pipeline.addBefore(
                    "herald-ws", "herald-inflate", compression.newExtensionDecoder());
              pipeline.addBefore("herald-ws", "herald-utf8", new Utf8FrameValidator(true));
              pipeline.addBefore(
                  "herald-ws",
                  "herald-aggregator",
                  new WebSocketFrameAggregator(readLimit(maxMessageBytes)));
              channel.config().setAutoRead(true);
              try {
                onOpen.accept(socket);
              } catch (
                  RuntimeException
                      e) { // a service that failed to take the socket must not leave it open and
                // unread
                LOG.error("could not set up a WebSocket connection on {}", req.path(), e);
                socket.close(CloseReason.INTERNAL_ERROR);
              }
            });
  }

  private static FullHttpRequest nettyRequest(HttpServerRequest req) {
    DefaultHttpHeaders headers = new DefaultHttpHeaders();
    for (Map.Entry<String, String> h : req.headers()) headers.add(h.getKey(), h.getValue());
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1,
        HttpMethod.GET,
        req.uri(),
        Unpooled.EMPTY_BUFFER,
        headers,
        new DefaultHttpHeaders());
  }

  private static int readLimit(int maxMessageBytes) {
    return Math.max(MAX_FRAME, maxMessageBytes);
  }

  private static WebSocketServerHandshakerFactory factory(
      HttpServerRequest req, boolean deflate, int limit) {
    return new WebSocketServerHandshakerFactory(
        "ws://" + req.authority() + req.path(), null, decoderConfig(deflate, limit));
  }

  /**
   * The frame decoder's settings for a connection reading messages up to {@code limit} bytes (also
   * the fuzz tests').
   */
  static WebSocketDecoderConfig decoderConfig(boolean deflate, int limit) {
    WebSocketDecoderConfig decoder = deflate ? DECODER_DEFLATE : DECODER;
    return limit == MAX_FRAME ? decoder : decoder.toBuilder().maxFramePayloadLength(limit).build();
  }

  /**
   * The first acceptable permessage-deflate offer in the client's header, or null (none, or
   * malformed).
   */
  private static WebSocketServerExtension negotiateDeflate(String offer) {
    if (offer == null) return null;
    try {
      for (WebSocketExtensionData d : WebSocketExtensionUtil.extractExtensions(offer)) {
        WebSocketServerExtension e = DEFLATE.handshakeExtension(d);
        if (e != null) return e;
      }
    } catch (RuntimeException e) { // a window size that is not a number: answer without compression
      return null;
    }
    return null;
  }

  private static String headerValue(WebSocketExtensionData data) {
    StringBuilder b = new StringBuilder(data.name());
    data.parameters().forEach((k, v) -> b.append("; ").append(k).append(v == null ? "" : "=" + v));
    return b.toString();
  }
}
