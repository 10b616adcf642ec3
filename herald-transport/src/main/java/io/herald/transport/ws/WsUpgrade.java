package io.herald.transport.ws;

import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.transport.http.ApiError;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpContentDecompressor;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionData;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionUtil;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtension;
import io.netty.handler.codec.http.websocketx.extensions.compression.PerMessageDeflateServerExtensionHandshaker;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.impl.HttpServerConnection;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upgrades a Vert.x HTTP request to a {@link WsSocket} on the same Netty channel, swapping the HTTP
 * handlers for Netty's frame codec as Netty's handshaker does, but without the handshaker (it
 * copies the request and encodes a response object: see {@link SwitchingProtocols}) and without
 * Vert.x's WebSocket objects: those keep the HTTP connection reachable and give every connection
 * two inbound message queues with fixed 1,024-slot arrays, about 8 KB per idle client, more than
 * everything else a connection holds. The Netty context behind Vert.x's request is not public API;
 * its use is confined to this class and covered by every WebSocket test.
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

  /** HTTP handlers Vert.x may have installed that have no place on a WebSocket. */
  private static final List<Class<? extends ChannelHandler>> HTTP_ONLY =
      List.of(
          ChunkedWriteHandler.class, HttpContentCompressor.class, HttpContentDecompressor.class);

  private WsUpgrade() {}

  /**
   * Answers {@code req} with 101 and calls {@code onOpen} with the socket, which may write at once:
   * the 101 and what {@code onOpen} writes leave in one flush. Or answers with a JSON error (400
   * not an upgrade, not HTTP/1.1 or no valid Sec-WebSocket-Key, 426 a version other than 13;
   * HeraldServer answers other methods with 405). Runs on the request's event loop.
   */
  public static void accept(
      HttpServerRequest req, int maxMessageBytes, boolean deflate, Consumer<WsSocket> onOpen) {
    ApiError refusal = refusal(req);
    if (refusal != null) {
      // RFC 6455 section 4.4: a refused version is answered with the versions supported.
      if (refusal.status() == 426) req.response().putHeader("Sec-WebSocket-Version", "13");
      refusal.send(req.response());
      return;
    }
    WebSocketServerExtension compression =
        deflate ? negotiateDeflate(req.getHeader("Sec-WebSocket-Extensions")) : null;
    Channel channel = ((HttpServerConnection) req.connection()).channelHandlerContext().channel();
    ChannelPipeline pipeline = channel.pipeline();
    int limit = readLimit(maxMessageBytes);
    WsSocket socket = new WsSocket(maxMessageBytes, compression != null);
    install(pipeline, socket, compression, limit);
    channel.write(
        SwitchingProtocols.response(
            channel.alloc(),
            req.getHeader("Sec-WebSocket-Key"),
            compression == null ? null : headerValue(compression.newReponseData())),
        channel.voidPromise());
    try {
      onOpen.accept(socket);
    } catch (RuntimeException e) {
      // a service that failed to take the socket must not leave it open and unread
      LOG.error("could not set up a WebSocket connection on {}", req.path(), e);
      socket.close(CloseReason.INTERNAL_ERROR);
    }
    // The request decoder goes last, once the 101 is queued and the service listens: it is
    // replaced while it is handing over this request, and Netty passes what it still holds (frames
    // an eager client sent right behind its request) to the frame decoder at once. A ping among
    // them must be answered after the 101, a message heard by the service.
    pipeline.replace(
        HttpRequestDecoder.class,
        "herald-wsdecoder",
        new WebSocket13FrameDecoder(decoderConfig(compression != null, limit)));
    channel.config().setAutoRead(true);
    channel.flush();
  }

  /** The answer to {@code req} when it is not an upgrade this server takes, or null. */
  private static ApiError refusal(HttpServerRequest req) {
    boolean asksForWebSocket = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
    String version = req.getHeader("Sec-WebSocket-Version");
    String connection = req.getHeader("Connection");
    if (asksForWebSocket && req.version() != HttpVersion.HTTP_1_1)
      return badRequest("a WebSocket upgrade needs HTTP/1.1"); // RFC 6455 section 4.1
    // Without Sec-WebSocket-Version this is no RFC 6455 upgrade (h2c, or a pre-RFC draft).
    if (!asksForWebSocket
        || version == null
        || connection == null
        || !connection.toLowerCase(Locale.ROOT).contains("upgrade"))
      return badRequest("not a WebSocket upgrade request");
    if (!"13".equals(version.trim()))
      return new ApiError(
          426, ErrorCode.INVALID_MESSAGE, "unsupported WebSocket version (13 is supported)");
    if (!SwitchingProtocols.validKey(req.getHeader("Sec-WebSocket-Key")))
      return badRequest("Sec-WebSocket-Key must be 16 bytes in base64");
    return null;
  }

  private static ApiError badRequest(String message) {
    return new ApiError(400, ErrorCode.INVALID_MESSAGE, message);
  }

  /**
   * Turns the HTTP pipeline into a WebSocket one, but for the request decoder, before the 101 is
   * written: from here on the channel carries frames, never responses, and Vert.x's HTTP
   * connection, out of the pipeline, becomes garbage.
   */
  private static void install(
      ChannelPipeline pipeline, WsSocket socket, WebSocketServerExtension compression, int limit) {
    for (Class<? extends ChannelHandler> http : HTTP_ONLY)
      if (pipeline.get(http) != null) pipeline.remove(http);
    pipeline.replace(
        HttpResponseEncoder.class, "herald-wsencoder", new WebSocket13FrameEncoder(false));
    pipeline.replace("handler", "herald-ws", socket);
    if (compression != null)
      pipeline.addBefore("herald-ws", "herald-inflate", compression.newExtensionDecoder());
    pipeline.addBefore("herald-ws", "herald-utf8", new Utf8FrameValidator(true));
    pipeline.addBefore("herald-ws", "herald-aggregator", new WebSocketFrameAggregator(limit));
  }

  private static int readLimit(int maxMessageBytes) {
    return Math.max(MAX_FRAME, maxMessageBytes);
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
