package io.herald.transport.eio;

import io.herald.core.event.Encoding;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.sio.EioPacket;
import io.herald.transport.server.ServerContext;
import io.herald.transport.ws.WsConfig;
import io.herald.transport.ws.WsConnection;
import io.herald.transport.ws.WsUpgrade;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An Engine.IO v4 endpoint: the handshake, the WebSocket transport (on Herald's {@link WsConnection}), the
 * long-polling transport ({@link PollingSession}) and the upgrade from polling to WebSocket ({@link Probe}).
 */
public final class EioServer {
  private static final SecureRandom RANDOM = new SecureRandom();
  static final long UPGRADE_TIMEOUT_MS = 10_000;
  /** Packets a client may send right behind "5" before the handover completes. */
  static final int MAX_EARLY = 1_000;

  private final ServerContext ctx;
  private final EioConfig config;
  private final Encoding<byte[]> encoding;
  private final EioAcceptor acceptor;
  private final Predicate<String> originAllowed;
  private final WsConfig wsConfig;
  private final ConcurrentHashMap<String, PollingSession> polling = new ConcurrentHashMap<>();

  /**
   * @param encoding      how the channel's events are written (a Socket.IO event packet)
   * @param originAllowed whether a browser page from this Origin may connect (requests without Origin always may)
   */
  public EioServer(ServerContext ctx, EioConfig config, Encoding<byte[]> encoding, Predicate<String> originAllowed,
      EioAcceptor acceptor) {
    this.ctx = ctx;
    this.config = config;
    this.encoding = encoding;
    this.acceptor = acceptor;
    this.originAllowed = originAllowed;
    // No frame or message within ping interval + ping timeout closes the socket: the client's pong is overdue.
    this.wsConfig = new WsConfig(config.pingInterval(), config.pingInterval().plus(config.pingTimeout()),
        config.writeTimeout(), config.maxPayload(), config.outbox());
  }

  /** Serves Engine.IO at {@code path} (Socket.IO's is {@code /socket.io/}). */
  public void mount(String path) {
    ctx.webSockets().routeAnyMethod(path, this::handle);
  }

  /** Open polling sessions (WebSocket sessions are counted by the server's connection registry). */
  public int pollingSessions() {
    return polling.size();
  }

  /** Ends every polling session (shutdown); WebSocket sessions are closed by the server with 1001. */
  public void shutdown() {
    polling.values().forEach(PollingSession::shutdown);
  }

  private void handle(HttpServerRequest req) {
    HttpServerResponse res = req.response();
    String origin = req.getHeader("Origin");
    if (origin != null && !originAllowed.test(origin) && !sameOrigin(origin, req.getHeader("Host"))) {
      EioError.FORBIDDEN.send(res);
      return;
    }
    if (origin != null) {
      res.putHeader("Access-Control-Allow-Origin", origin).putHeader("Access-Control-Allow-Credentials", "true").putHeader("Vary", "Origin");
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
      else if (sid == null) openWebSocket(req);
      else upgrade(req, sid);
    } else if ("polling".equals(transport)) {
      if (sid == null) {
        if (ctx.connections().draining()) draining(res);
        else if (req.method() != HttpMethod.GET) EioError.BAD_HANDSHAKE_METHOD.send(res);
        else openPolling(req);
        return;
      }
      PollingSession s = polling.get(sid);
      if (s == null) EioError.UNKNOWN_SID.send(res);
      else if (req.method() == HttpMethod.GET) s.poll(req);
      else if (req.method() == HttpMethod.POST) s.post(req);
      else EioError.BAD_REQUEST.send(res);
    } else {
      EioError.TRANSPORT_UNKNOWN.send(res);
    }
  }

  /** A page served by this server itself (the example page) may always connect: same origin is not cross-site. */
  private static boolean sameOrigin(String origin, String host) {
    return host != null && (origin.equals("http://" + host) || origin.equals("https://" + host));
  }

  private static void draining(HttpServerResponse res) {
    res.setStatusCode(503).putHeader("content-type", "application/json").end("{\"code\":3,\"message\":\"Server is shutting down\"}");
  }

  private void openPolling(HttpServerRequest req) {
    String sid = newId();
    PollingSession s = new PollingSession(sid, ctx.vertx(), ctx.connections().loopOf(Vertx.currentContext()), config,
        encoding, req.remoteAddress(), ctx.metrics(), gone -> polling.remove(gone.sid(), gone));
    polling.put(sid, s);
    s.loop().execute(() -> {
      s.start(openPacket(sid, true), acceptor);
      s.poll(req);
    });
  }

  private void openWebSocket(HttpServerRequest req) {
    WsUpgrade.accept(req, config.maxPayload(), ctx.config().deflate(), ws -> {
      String sid = newId();
      EioListener[] listener = {null};
      WsConnection[] conn = {null};
      conn[0] = WsConnection.open(ctx.vertx(), ws, wsConfig, encoding, ctx.metrics(), ctx.connections(),
          text -> received(text, conn[0], listener[0]), replay -> null,
          () -> { if (listener[0] != null) listener[0].closed(); });
      conn[0].pingWithText(EioPacket.encode(new EioPacket.Ping("")));
      conn[0].sendText(openPacket(sid, false));
      if (conn[0].isOpen()) listener[0] = acceptor.open(new WsTransport(sid, conn[0], host(req.remoteAddress())));
    });
  }

  /** The WebSocket a polling session's client opens to upgrade: probed, then switched to on "5" (see {@link Probe}). */
  private void upgrade(HttpServerRequest req, String sid) {
    PollingSession session = polling.get(sid);
    if (session == null) {
      EioError.UNKNOWN_SID.send(req.response());
      return;
    }
    WsUpgrade.accept(req, config.maxPayload(), ctx.config().deflate(), ws -> {
      Probe probe = new Probe(ctx.vertx(), sid, session, host(req.remoteAddress()));
      probe.conn = WsConnection.open(ctx.vertx(), ws, wsConfig, encoding, ctx.metrics(), ctx.connections(),
          probe::text, replay -> null, probe::closed);
      probe.conn.pingWithText(EioPacket.encode(new EioPacket.Ping("")));
      // As Engine.IO's upgradeTimeout: a probe that has not asked to upgrade by then is closed.
      probe.timer = ctx.vertx().setTimer(UPGRADE_TIMEOUT_MS, id -> probe.conn.loop().execute(probe::expire));
    });
  }

  /**
   * Engine.IO's upgrade on one probe WebSocket, confined to its loop: "2probe" is answered "3probe" (and the parked
   * poll released), "5" moves the session here. Packets the client sends after "5" and before the polling session
   * has handed over are kept and passed on in order.
   */
  private static final class Probe {
    final String sid;
    final PollingSession session;
    final String remote;
    WsConnection conn;
    EioListener listener;
    java.util.List<String> early;
    long timer = -1;
    final Vertx vertx;

    Probe(Vertx vertx, String sid, PollingSession session, String remote) {
      this.vertx = vertx;
      this.sid = sid;
      this.session = session;
      this.remote = remote;
    }

    void text(String text) {
      if (listener != null) {
        received(text, conn, listener);
      } else if (early != null) {
        if (early.size() >= MAX_EARLY) conn.close(CloseReason.PROTOCOL_ERROR);
        else early.add(text);
      } else if (text.equals("2probe")) {
        conn.sendText("3probe");
        session.probed();
      } else if (text.equals("5")) {
        early = new java.util.ArrayList<>();
        session.upgrade(h -> conn.loop().execute(() -> takeOver(h)));
      } else {
        conn.close(CloseReason.PROTOCOL_ERROR);
      }
    }

    private void takeOver(PollingSession.Handover h) {
      if (timer >= 0) vertx.cancelTimer(timer);
      if (h == null || !conn.isOpen()) {
        if (h != null && h.listener() != null) h.listener().closed();  // the WebSocket went while the session was handed over
        conn.close(CloseReason.NORMAL);
        return;
      }
      // Set first: a close while the queued packets are written (an overflow) must reach the listener.
      listener = h.listener();
      for (byte[] p : h.pending()) conn.sendText(new String(p, java.nio.charset.StandardCharsets.UTF_8));
      if (!conn.isOpen()) return;
      listener.upgraded(new WsTransport(sid, conn, remote), h.lastSeq());
      java.util.List<String> queued = early;
      early = null;
      for (String t : queued) if (conn.isOpen()) received(t, conn, listener);
    }

    /** The upgrade timeout passed without "5": the probe goes, the polling session carries on. */
    void expire() {
      if (listener == null && early == null) conn.close(CloseReason.NORMAL);
    }

    void closed() {
      if (timer >= 0) vertx.cancelTimer(timer);
      if (listener != null) listener.closed();
    }
  }

  /** One Engine.IO packet from a WebSocket client. Pongs need nothing: any frame counts as a sign of life. */
  private static void received(String text, WsConnection conn, EioListener listener) {
    EioPacket p;
    try {
      p = EioPacket.decode(text);
    } catch (ProtocolException e) {
      conn.close(CloseReason.PROTOCOL_ERROR);
      return;
    }
    switch (p) {
      case EioPacket.Message(String data) -> { if (listener != null) listener.message(data); }
      case EioPacket.Ping(String data) -> conn.sendText(EioPacket.encode(new EioPacket.Pong(data)));
      case EioPacket.Close() -> conn.close(CloseReason.NORMAL);
      default -> { }
    }
  }

  /** The open packet; a polling session is offered the upgrade to WebSocket. */
  private String openPacket(String sid, boolean polling) {
    return EioPacket.encode(new EioPacket.Open("{\"sid\":\"" + sid + "\",\"upgrades\":" + (polling ? "[\"websocket\"]" : "[]") + ",\"pingInterval\":"
        + config.pingInterval().toMillis() + ",\"pingTimeout\":" + config.pingTimeout().toMillis()
        + ",\"maxPayload\":" + config.maxPayload() + "}"));
  }

  static String host(io.vertx.core.net.SocketAddress address) {
    return address == null ? null : address.hostAddress();
  }

  public static String newId() {
    byte[] b = new byte[15];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
