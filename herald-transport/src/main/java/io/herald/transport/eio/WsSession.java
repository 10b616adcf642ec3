package io.herald.transport.eio;

import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.sio.EioPacket;
import io.herald.transport.ws.WsConnection;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An Engine.IO session on one WebSocket, confined to its loop: opened directly (the listener is
 * known at once), or opened to upgrade a polling session. Then "2probe" is answered "3probe" (and
 * the parked poll released) and "5" moves the session here; packets the client sends after "5" and
 * before the polling session has handed over are kept and passed on in order.
 */
final class WsSession {
  /** Packets a client may send right behind "5" before the handover completes. */
  static final int MAX_EARLY = 1_000;

  final String sid;
  final String remote;
  private final Vertx vertx;

  /** The polling session being upgraded; null for a session opened on WebSocket. */
  private final PollingSession upgrading;

  WsConnection conn;
  EioListener listener;
  long timer = -1;

  /** This socket holds its polling session's one probe slot, given back when it closes. */
  boolean ownsProbe;

  /**
   * Messages (text as String, binary as byte[]) that arrived after "5", before the hand-over
   * completed.
   */
  private List<Object> early;

  /**
   * The server's sessions that moved to a WebSocket, by sid: this one is there from "5" until it
   * closes.
   */
  private final Map<String, WsSession> upgraded;

  WsSession(
      Vertx vertx,
      String sid,
      PollingSession upgrading,
      String remote,
      Map<String, WsSession> upgraded) {
    this.vertx = vertx;
    this.sid = sid;
    this.upgrading = upgrading;
    this.remote = remote;
    this.upgraded = upgraded;
  }

  void text(String text) {
    if (listener != null || upgrading == null) {
      received(text);
    } else if (early != null) {
      keep(text);
    } else if (text.equals("2probe")) {
      upgrading
          .probed(); // first: a GET the client sends once it has "3probe" must find the session
      // upgrading
      conn.sendText("3probe");
    } else if (text.equals("5")) {
      early = new ArrayList<>();
      // At once, on this thread: a GET or a WebSocket with this sid that follows "5" is refused
      // from now on.
      upgrading.handOver();
      upgraded.put(sid, this);
      upgrading.upgrade(h -> conn.loop().execute(() -> takeOver(h)));
    } else {
      conn.close(CloseReason.PROTOCOL_ERROR);
    }
  }

  /**
   * A binary message: Engine.IO allows one only once the session is open here (not during the
   * probe).
   */
  boolean binary(byte[] data) {
    if (listener != null) listener.binary(data);
    else if (early != null) keep(data);
    else conn.close(CloseReason.PROTOCOL_ERROR);
    return true;
  }

  private void keep(Object message) {
    if (early.size() >= MAX_EARLY) conn.close(CloseReason.PROTOCOL_ERROR);
    else early.add(message);
  }

  private void takeOver(PollingSession.Handover h) {
    if (timer >= 0) vertx.cancelTimer(timer);
    if (h == null || !conn.isOpen()) {
      if (h != null && h.listener() != null)
        h.listener().closed(); // the WebSocket went while the session was handed over
      conn.close(CloseReason.NORMAL);
      return;
    }
    // Set first: a close while the queued packets are written (an overflow) must reach the
    // listener.
    listener = h.listener();
    for (byte[] p : h.pending()) sendQueued(new String(p, StandardCharsets.UTF_8));
    if (!conn.isOpen()) return;
    listener.upgraded(new WsTransport(sid, conn, remote), h.lastSeq());
    List<Object> queued = early;
    early = null;
    for (Object m : queued) {
      if (!conn.isOpen()) break;
      if (m instanceof String t) received(t);
      else listener.binary((byte[]) m);
    }
  }

  /**
   * A packet the polling session had queued: a binary one was spelled "b" + base64 there, a frame
   * of its own here.
   */
  private void sendQueued(String packet) {
    if (packet.startsWith("b")) conn.sendBinary(Base64.getDecoder().decode(packet.substring(1)));
    else conn.sendText(packet);
  }

  /** The upgrade timeout passed without "5": the probe goes, the polling session carries on. */
  void expire() {
    if (listener == null && early == null) conn.close(CloseReason.NORMAL);
  }

  void closed() {
    if (timer >= 0) vertx.cancelTimer(timer);
    upgraded.remove(sid, this);
    if (ownsProbe) upgrading.probeGone();
    if (listener != null) listener.closed();
  }

  /**
   * One Engine.IO packet from the client. Pongs need nothing: any frame counts as a sign of life.
   */
  private void received(String text) {
    EioPacket p;
    try {
      p = EioPacket.decode(text);
    } catch (ProtocolException e) {
      conn.close(CloseReason.PROTOCOL_ERROR);
      return;
    }
    switch (p) {
      case EioPacket.Message(String data) -> {
        if (listener != null) listener.message(data);
      }
      case EioPacket.Ping(String data) -> conn.sendText(EioPacket.encode(new EioPacket.Pong(data)));
      case EioPacket.Close() -> conn.close(CloseReason.NORMAL);
      case EioPacket.Binary b ->
          conn.close(CloseReason.PROTOCOL_ERROR); // binary goes in binary frames on a WebSocket
      default -> {}
    }
  }
}
