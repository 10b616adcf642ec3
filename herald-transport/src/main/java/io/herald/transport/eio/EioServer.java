package io.herald.transport.eio;

import io.herald.core.event.Encoding;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.sio.EioPacket;
import io.herald.transport.server.ServerContext;
import io.herald.transport.ws.WsConfig;
import io.herald.transport.ws.WsConnection;
import io.herald.transport.ws.WsSocket;
import io.herald.transport.ws.WsUpgrade;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An Engine.IO v4 endpoint: the handshake, the WebSocket transport (on Herald's {@link
 * WsConnection}), the long-polling transport ({@link PollingSession}) and the upgrade from polling
 * to WebSocket ({@link WsSession}).
 */
public final class EioServer {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final long UPGRADE_TIMEOUT_MS = 10_000;

  private final ServerContext ctx;
  private final EioConfig config;
  private final Encoding<byte[]> encoding;
  private final Encoding<List<byte[]>> attachments;
  private final EioAcceptor acceptor;
  private final Predicate<String> originAllowed;
  private final WsConfig wsConfig;
  private final ConcurrentHashMap<String, PollingSession> polling = new ConcurrentHashMap<>();

  /**
   * Polling sessions that moved to a WebSocket, until it closes: their sid is refused on polling,
   * and a second WebSocket with it is accepted and closed at once (as Engine.IO's own server does).
   */
  private final ConcurrentHashMap<String, WsSession> upgraded = new ConcurrentHashMap<>();

  /**
   * @param encoding how the channel's events are written (a Socket.IO event packet)
   * @param attachments binary messages that follow an event's packet (Socket.IO attachments), or
   *     null for none
   * @param originAllowed whether a browser page from this Origin may connect (requests without
   *     Origin always may)
   */
  public EioServer(
      ServerContext ctx,
      EioConfig config,
      Encoding<byte[]> encoding,
      Encoding<List<byte[]>> attachments,
      Predicate<String> originAllowed,
      EioAcceptor acceptor) {
    this.ctx = ctx;
    this.config = config;
    this.encoding = encoding;
    this.attachments = attachments;
    this.acceptor = acceptor;
    this.originAllowed = originAllowed;
    // Engine.IO's ping is a text "2"; no frame or message within ping interval + ping timeout
    // closes the socket.
    this.wsConfig =
        new WsConfig(
            config.pingInterval(),
            config.pingInterval().plus(config.pingTimeout()),
            config.writeTimeout(),
            config.maxPayload(),
            config.outbox(),
            EioPacket.encode(new EioPacket.Ping("")),
            attachments);
  }

  /** Serves Engine.IO at {@code path} (Socket.IO's is {@code /socket.io/}). */
  public void mount(String path) {
    ctx.webSockets().routeAnyMethod(path, this::handle);
  }

  /** Open polling sessions (WebSocket sessions are counted by the server's connection registry). */
  public int pollingSessions() {
    return polling.size();
  }

  /** Polling sessions whose GET is waiting for packets (a long poll the server holds open). */
  public int parkedPolls() {
    int n = 0;
    for (PollingSession s : polling.values()) if (s.pollParked()) n++;
    return n;
  }

  /**
   * Ends every polling session (shutdown); WebSocket sessions are closed by the server with 1001.
   */
  public void shutdown() {
    polling.values().forEach(PollingSession::shutdown);
  }

  private void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    String origin = req.getHeader("Origin");
    if (origin != null
        && !originAllowed.test(origin)
        && !sameOrigin(origin, req.getHeader("Host"))) {
      EioError.FORBIDDEN.send(res);
      return;
    }
    if (origin != null) {
      res.putHeader("Access-Control-Allow-Origin", origin)
          .putHeader("Access-Control-Allow-Credentials", "true")
          .putHeader("Vary", "Origin");
    }
    if (req.method() == HttpMethod.OPTIONS) {
      String headers = req.getHeader("Access-Control-Request-Headers");
      res.putHeader("Access-Control-Allow-Methods", "GET, POST");
      if (headers != null) res.putHeader("Access-Control-Allow-Headers", headers);
      res.setStatusCode(204).end();
      return;
    }
    if (!"4".equals(req.getParam("EIO"))) {
      EioError.UNSUPPORTED_PROTOCOL_VERSION.send(res);
      return;
    }
    String transport = req.getParam("transport");
    String sid = req.getParam("sid");
    if ("websocket".equals(transport)) {
      if (ctx.connections().draining()) draining(res);
      else if (req.method() != HttpMethod.GET) EioError.BAD_REQUEST.send(res);
      else if (sid == null) ctx.admission().admit(req, () -> openWebSocket(req));
      else upgrade(req, sid);
    } else if ("polling".equals(transport)) {
      if (sid == null) {
        if (ctx.connections().draining()) draining(res);
        else if (req.method() != HttpMethod.GET) EioError.BAD_HANDSHAKE_METHOD.send(res);
        else ctx.admission().admit(req, () -> openPolling(req));
        return;
      }
      PollingSession s = polling.get(sid);
      if (s == null)
        (upgraded.containsKey(sid) ? EioError.BAD_REQUEST : EioError.UNKNOWN_SID).send(res);
      else if (req.method() == HttpMethod.GET) s.poll(req);
      else if (req.method() == HttpMethod.POST) s.post(req);
      else EioError.BAD_REQUEST.send(res);
    } else {
      EioError.TRANSPORT_UNKNOWN.send(res);
    }
  }

  /**
   * A page served by this server itself (the example page) may always connect: same origin is not
   * cross-site.
   */
  private static boolean sameOrigin(String origin, String host) {
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private static void draining(HttpServerResponse res) {
    res.setStatusCode(503)
        .putHeader("content-type", "application/json")
        .end("{\"code\":3,\"message\":\"Server is shutting down\"}");
  }

  private void openPolling(HttpServerRequest req) {
    String sid = newId();
    PollingSession s =
        new PollingSession(
            sid,
            ctx.vertx(),
            ctx.connections().loopOf(Vertx.currentContext()),
            config,
            encoding,
            attachments,
            ctx.config().trustedProxies().client(req),
            ctx.metrics(),
            gone -> polling.remove(gone.sid(), gone));
    polling.put(sid, s);
    s.loop()
        .execute(
            () -> {
              s.start(openPacket(sid, true), acceptor);
              s.poll(req);
            });
  }

  private void openWebSocket(HttpServerRequest req) {
    WsUpgrade.accept(
        req,
        config.maxPayload(),
        ctx.config().deflate(),
        ws -> {
          WsSession s = open(ws, newId(), null, ctx.config().trustedProxies().client(req));
          s.conn.sendText(openPacket(s.sid, false));
          if (s.conn.isOpen()) s.listener = acceptor.open(new WsTransport(s.sid, s.conn, s.remote));
        });
  }

  /**
   * The WebSocket a polling session's client opens to upgrade: probed, then switched to on "5" (see
   * {@link WsSession}).
   */
  private void upgrade(HttpServerRequest req, String sid) {
    PollingSession session = polling.get(sid);
    if (session == null && upgraded.containsKey(sid)) {
      WsUpgrade.accept(
          req,
          config.maxPayload(),
          ctx.config().deflate(),
          ws -> ws.close(CloseReason.ALREADY_UPGRADED));
      return;
    }
    if (session == null) {
      EioError.UNKNOWN_SID.send(req.response());
      return;
    }
    WsUpgrade.accept(
        req,
        config.maxPayload(),
        ctx.config().deflate(),
        ws -> {
          // Claimed before the connection opens: a socket already gone calls closed() during open,
          // which gives it back.
          boolean first = session.claimProbe();
          WsSession s = open(ws, sid, session, ctx.config().trustedProxies().client(req), first);
          if (!first) { // one probe at a time: a session must not hold a socket per request
            s.conn.close(CloseReason.SECOND_PROBE);
            return;
          }
          // As Engine.IO's upgradeTimeout: a probe that has not asked to upgrade by then is closed.
          s.timer =
              ctx.vertx().setTimer(UPGRADE_TIMEOUT_MS, id -> s.conn.loop().execute(s::expire));
        });
  }

  private WsSession open(WsSocket ws, String sid, PollingSession upgrading, String remote) {
    return open(ws, sid, upgrading, remote, false);
  }

  /**
   * @param ownsProbe the socket holds its polling session's probe slot (given back when it closes)
   */
  private WsSession open(
      WsSocket ws, String sid, PollingSession upgrading, String remote, boolean ownsProbe) {
    WsSession s = new WsSession(ctx.vertx(), sid, upgrading, remote, upgraded);
    s.ownsProbe = ownsProbe;
    WsConnection.Inbound inbound =
        new WsConnection.Inbound() {
          @Override
          public void text(String message) {
            s.text(message);
          }

          @Override
          public boolean binary(byte[] message) {
            return s.binary(message);
          }
        };
    s.conn =
        WsConnection.open(
            ctx.vertx(),
            ws,
            wsConfig,
            encoding,
            ctx.metrics(),
            ctx.connections(),
            inbound,
            replay -> null,
            s::closed);
    return s;
  }

  /** The open packet; a polling session is offered the upgrade to WebSocket. */
  private String openPacket(String sid, boolean polling) {
    return EioPacket.encode(
        new EioPacket.Open(
            "{\"sid\":\""
                + sid
                + "\",\"upgrades\":"
                + (polling ? "[\"websocket\"]" : "[]")
                + ",\"pingInterval\":"
                + config.pingInterval().toMillis()
                + ",\"pingTimeout\":"
                + config.pingTimeout().toMillis()
                + ",\"maxPayload\":"
                + config.maxPayload()
                + "}"));
  }

  public static String newId() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
