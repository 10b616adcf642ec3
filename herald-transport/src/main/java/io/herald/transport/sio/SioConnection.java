package io.herald.transport.sio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.sio.Attachments;
import io.herald.protocol.sio.SioEncoder;
import io.herald.protocol.sio.SioPacket;
import io.herald.transport.eio.EioListener;
import io.herald.transport.eio.EioTransport;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One client's Socket.IO connection over one Engine.IO session, confined to the session's current
 * loop. It follows the v5 specification's states: a packet that cannot be decoded, a packet other
 * than CONNECT for a namespace not joined, a CONNECT for one already joined, or a binary message
 * nobody announced closes the connection at once; a DISCONNECT leaves one namespace and keeps the
 * connection.
 */
public final class SioConnection implements EioListener {

  private final Vertx vertx;
  private final Function<String, SioNamespace> namespaces;
  private final SioLimits limits;
  private final Map<String, SioHandler> joined = new HashMap<>(2);

  /**
   * Namespaces whose CONNECT is being prepared (see {@link SioNamespace#prepare}), with the packets
   * held meanwhile.
   */
  private final Map<String, List<SioPacket>> preparing = new HashMap<>(2);

  /**
   * A client that sends more than this before its CONNECT is answered is not a Socket.IO client.
   */
  static final int MAX_HELD = 64;

  /** Replaced once when a polling session upgrades; read by the connect timer's thread. */
  private volatile EioTransport transport;

  /** A binary event or ack waiting for its attachments, and those received so far. */
  private SioPacket pending;

  private List<byte[]> received;
  private long connectTimer = -1;
  private long windowStartNanos = System.nanoTime();
  private int windowCount;
  private boolean closed;

  /**
   * @param namespaces the namespace of each name a client may join; null for any other name
   */
  public SioConnection(
      Vertx vertx,
      EioTransport transport,
      Function<String, SioNamespace> namespaces,
      SioLimits limits) {
    this.vertx = vertx;
    this.transport = transport;
    this.namespaces = namespaces;
    this.limits = limits;
    armConnectTimer();
  }

  /** The session's transport now (it changes once, when polling upgrades to a WebSocket). */
  public EioTransport transport() {
    return transport;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The client's address as text, "unknown" when the transport does not know it. */
  public String address() {
    return transport.remoteHost() == null ? "unknown" : transport.remoteHost();
  }

  public void send(String packet) {
    transport.send(packet);
  }

  /** A packet and its attachments, in order. */
  public void send(SioEncoder.Encoded packet) {
    transport.send(packet.text());
    for (byte[] b : packet.attachments()) transport.sendBinary(b);
  }

  public void close(CloseReason reason) {
    transport.close(reason);
  }

  @Override
  public void message(String data) {
    if (closed) return;
    if (pending
        != null) { // attachments are binary messages: a text packet in between breaks the sequence
      close(CloseReason.INVALID_PACKET);
      return;
    }
    if (!allowed()) return;
    SioPacket packet;
    try {
      packet = SioPacket.decode(data);
    } catch (ProtocolException e) {
      close(CloseReason.INVALID_PACKET);
      return;
    }
    int attachments =
        switch (packet) {
          case SioPacket.Event e -> e.attachments();
          case SioPacket.Ack a -> a.attachments();
          default -> 0;
        };
    if (attachments == 0) {
      dispatch(packet);
    } else {
      pending = packet;
      received = new ArrayList<>(attachments);
    }
  }

  @Override
  public void binary(byte[] data) {
    if (closed) return;
    if (pending == null) {
      close(CloseReason.INVALID_PACKET);
      return;
    }
    received.add(data);
    SioPacket p = pending;
    int expected =
        p instanceof SioPacket.Event e ? e.attachments() : ((SioPacket.Ack) p).attachments();
    if (received.size() < expected) return;
    pending = null;
    try {
      Attachments.fill(
          p instanceof SioPacket.Event e ? e.args() : ((SioPacket.Ack) p).args(), received);
    } catch (ProtocolException e) {
      close(CloseReason.INVALID_PACKET);
      return;
    } finally {
      received = null;
    }
    dispatch(p);
  }

  private void dispatch(SioPacket packet) {
    List<SioPacket> held = preparing.get(packet.nsp());
    if (held != null) { // the namespace is still deciding on this client's CONNECT
      if (held.size() >= MAX_HELD) close(CloseReason.INVALID_PACKET);
      else held.add(packet);
      return;
    }
    SioHandler h = joined.get(packet.nsp());
    switch (packet) {
      case SioPacket.Connect c -> {
        if (h != null) {
          close(CloseReason.INVALID_PACKET);
          return;
        }
        connect(c);
      }
      case SioPacket.Disconnect d -> {
        if (h == null) {
          close(CloseReason.INVALID_PACKET);
          return;
        }
        joined.remove(d.nsp());
        h.left();
        if (joined.isEmpty()) armConnectTimer();
      }
      case SioPacket.Event e -> {
        if (h == null) close(CloseReason.INVALID_PACKET);
        else h.event(e);
      }
      case SioPacket.Ack a -> {
        if (h == null) close(CloseReason.INVALID_PACKET);
        else h.ack(a);
      }
    }
  }

  private void connect(SioPacket.Connect c) {
    SioNamespace ns = namespaces.apply(c.nsp());
    if (ns == null) {
      send(SioEncoder.connectError(c.nsp(), "Invalid namespace"));
      return;
    }
    JsonNode auth = c.auth() == null ? JsonNodeFactory.instance.objectNode() : c.auth();
    CompletableFuture<Void> ready = ns.prepare(auth).toCompletableFuture();
    if (ready.isDone()) {
      join(ns, c.nsp(), auth);
      return;
    }
    preparing.put(c.nsp(), new ArrayList<>());
    ready.whenComplete(
        (v, e) ->
            transport
                .loop()
                .execute(
                    () -> {
                      List<SioPacket> held = preparing.remove(c.nsp());
                      if (closed) return;
                      join(ns, c.nsp(), auth);
                      if (held != null) for (SioPacket p : held) dispatch(p);
                    }));
  }

  private void join(SioNamespace ns, String nsp, JsonNode auth) {
    SioHandler h = ns.connect(this, nsp, auth);
    if (h == null || closed) return;
    joined.put(nsp, h);
    cancelConnectTimer();
  }

  /**
   * Counts every packet the client sends in fixed windows; over the limit they are dropped, and the
   * main namespace told once.
   */
  private boolean allowed() {
    long now = System.nanoTime(), window = limits.rateWindow().toNanos();
    if (now - windowStartNanos >= window) {
      windowStartNanos = now;
      windowCount = 0;
    }
    if (++windowCount <= limits.rateMax()) return true;
    if (windowCount == limits.rateMax() + 1) {
      SioHandler main = joined.get("/");
      if (main != null)
        main.rateLimited(Math.max(0, (window - (now - windowStartNanos)) / 1_000_000));
    }
    return false;
  }

  /**
   * As Socket.IO's connectTimeout: an Engine.IO session that joins nothing (or was refused) does
   * not linger.
   */
  private void armConnectTimer() {
    cancelConnectTimer();
    // The current transport when it fires: the session may have moved from polling to a WebSocket
    // meanwhile.
    connectTimer =
        vertx.setTimer(
            limits.connectTimeout().toMillis(),
            id ->
                transport
                    .loop()
                    .execute(
                        () -> {
                          if (joined.isEmpty()) transport.close(CloseReason.CONNECT_TIMEOUT);
                        }));
  }

  private void cancelConnectTimer() {
    if (connectTimer >= 0) vertx.cancelTimer(connectTimer);
    connectTimer = -1;
  }

  @Override
  public void upgraded(EioTransport next, long lastSeq) {
    transport = next;
    for (SioHandler h : List.copyOf(joined.values())) h.upgraded(next, lastSeq);
  }

  @Override
  public long position(long lastDelivered) {
    long p = lastDelivered;
    for (SioHandler h : joined.values()) p = Math.max(p, h.position(lastDelivered));
    return p;
  }

  @Override
  public void closed() {
    if (closed) return;
    closed = true;
    cancelConnectTimer();
    pending = null;
    received = null;
    List<SioHandler> all = List.copyOf(joined.values());
    joined.clear();
    for (SioHandler h : all) h.closed();
  }
}
