package io.herald.transport.eio;

import io.herald.core.event.Encoding;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import io.herald.protocol.sio.EioPacket;
import io.herald.transport.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * An Engine.IO session on HTTP long-polling: packets wait in a bounded queue until the client's next GET takes
 * them (one GET parked at a time), and the client's POSTs carry its packets. Requests arrive on any event loop;
 * all state lives on the session's loop. A full queue closes the session (the slow-consumer policy): memory stays
 * bounded when a client stops polling, and the ping timeout ends the session soon after.
 */
final class PollingSession implements EioTransport, Subscriber {
  private final String sid;
  private final Vertx vertx;
  private final Executor loop;
  private final EioConfig config;
  private final Encoding<byte[]> encoding;
  private final SocketAddress remote;
  private final Metrics metrics;
  private final Consumer<PollingSession> onGone;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private long queuedBytes;
  private HttpServerResponse parked;
  private EioListener listener;
  private Predicate<Frame> accepts = f -> true;
  private long lastSeq;
  private boolean closed;
  private long pingTimer = -1;
  private long pongTimer = -1;

  PollingSession(String sid, Vertx vertx, Executor loop, EioConfig config, Encoding<byte[]> encoding,
      io.vertx.core.net.SocketAddress remote, Metrics metrics, Consumer<PollingSession> onGone) {
    this.sid = sid;
    this.vertx = vertx;
    this.loop = loop;
    this.config = config;
    this.encoding = encoding;
    this.remote = remote == null ? null : new InetSocketAddress(remote.hostAddress(), remote.port());
    this.metrics = metrics;
    this.onGone = onGone;
  }

  /** On the loop: the open packet is queued for the handshake GET's answer, then the layer above is told. */
  void start(String openPacket, EioAcceptor acceptor) {
    queue.add(openPacket);
    schedulePing();
    listener = acceptor.open(this);
  }

  @Override public String sid() { return sid; }
  @Override public String name() { return "polling"; }
  @Override public SocketAddress remoteAddress() { return remote; }
  @Override public Executor loop() { return loop; }
  @Override public Subscriber subscriber() { return this; }
  @Override public void filter(Predicate<Frame> accepts) { this.accepts = accepts; }

  /** A GET: answered at once when packets wait, else parked until some do (or the next ping). */
  void poll(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    loop.execute(() -> {
      if (closed) {
        EioError.UNKNOWN_SID.send(response);
      } else if (parked != null) {  // two GETs at once: the client is broken; Engine.IO ends the session
        EioError.BAD_REQUEST.send(response);
        close(CloseReason.NORMAL);
      } else {
        parked = response;
        response.closeHandler(v -> loop.execute(() -> { if (parked == response) parked = null; }));
        answer();
      }
    });
  }

  /** A POST: the body's packets, in order, then "ok". */
  void post(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    StringBuilder body = new StringBuilder();
    long[] size = {0};
    req.handler(chunk -> {
      size[0] += chunk.length();
      if (size[0] <= config.maxPayload()) body.append(chunk.toString(StandardCharsets.UTF_8));
    });
    req.endHandler(v -> loop.execute(() -> {
      if (closed) {
        EioError.UNKNOWN_SID.send(response);
      } else if (size[0] > config.maxPayload()) {
        response.setStatusCode(413).putHeader("content-type", "application/json")
            .end("{\"code\":3,\"message\":\"payload over maxPayload (" + config.maxPayload() + " bytes)\"}");
        close(CloseReason.MESSAGE_TOO_BIG);
      } else {
        List<EioPacket> packets;
        try {
          packets = EioPacket.decodePayload(body.toString());
        } catch (io.herald.protocol.envelope.ProtocolException e) {
          EioError.BAD_REQUEST.send(response);
          close(CloseReason.NORMAL);
          return;
        }
        response.putHeader("content-type", "text/html").end("ok");
        for (EioPacket p : packets) if (!closed) received(p);
      }
    }));
  }

  private void received(EioPacket p) {
    metrics.messageIn();
    switch (p) {
      case EioPacket.Message(String data) -> listener.message(data);
      case EioPacket.Pong(String ignored) -> ponged();
      case EioPacket.Ping(String data) -> send(EioPacket.encode(new EioPacket.Pong(data)));
      case EioPacket.Close() -> close(CloseReason.NORMAL);
      default -> { }
    }
  }

  @Override
  public void send(String packet) {
    if (closed) return;
    int bytes = packet.length();
    if (queue.size() + 1 > config.outbox().maxMessages() || queuedBytes + bytes > config.outbox().maxBytes()) {
      metrics.disconnect(CloseReason.SLOW_CONSUMER.reason().replace(' ', '_'));
      close(CloseReason.SLOW_CONSUMER);
      return;
    }
    queue.add(packet);
    queuedBytes += bytes;
    answer();
  }

  /** Hands everything queued to the parked GET, if there is one. */
  private void answer() {
    if (parked == null || queue.isEmpty()) return;
    List<String> out = new ArrayList<>(queue);
    queue.clear();
    queuedBytes = 0;
    HttpServerResponse r = parked;
    parked = null;
    r.putHeader("content-type", "text/plain; charset=UTF-8").end(EioPacket.encodePayload(out));
  }

  @Override
  public void replay(Replay replay) {
    replay.frames().forEach(this::deliver);
  }

  @Override
  public void deliver(Frame frame) {
    if (closed || frame.seq() <= lastSeq) return;
    lastSeq = frame.seq();
    if (accepts.test(frame)) send(new String(frame.encoded(encoding), StandardCharsets.UTF_8));
  }

  private void schedulePing() {
    pingTimer = vertx.setTimer(config.pingInterval().toMillis(), id -> loop.execute(() -> {
      if (closed) return;
      send(EioPacket.encode(new EioPacket.Ping("")));
      pongTimer = vertx.setTimer(config.pingTimeout().toMillis(), t -> loop.execute(() -> close(CloseReason.HEARTBEAT_TIMEOUT)));
    }));
  }

  /** As Engine.IO's own server: the next ping is scheduled when the client has answered this one. */
  private void ponged() {
    if (pongTimer < 0) return;
    cancelPongTimer();
    schedulePing();
  }

  private void cancelPongTimer() {
    if (pongTimer >= 0) vertx.cancelTimer(pongTimer);
    pongTimer = -1;
  }

  /** Ends the session: a parked GET gets the close packet, later requests "Session ID unknown". Idempotent. */
  @Override
  public void close(CloseReason reason) {
    if (closed) return;
    if (parked != null) {
      queue.clear();
      queue.add(EioPacket.encode(new EioPacket.Close()));
      answer();
    }
    closed = true;
    queue.clear();
    queuedBytes = 0;
    if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
    cancelPongTimer();
    if (reason.code() != 1000 && reason.code() != 1001 && reason != CloseReason.SLOW_CONSUMER) {
      metrics.disconnect(reason.reason().replace(' ', '_'));
    }
    onGone.accept(this);
    if (listener != null) listener.closed();
  }

  /** Shutdown, from any thread. */
  void shutdown() {
    loop.execute(() -> close(CloseReason.SHUTDOWN));
  }
}
