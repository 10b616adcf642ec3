package io.herald.transport.eio;

import io.herald.core.event.Encoding;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.Outbox;
import io.herald.protocol.envelope.ProtocolException;
import io.herald.protocol.sio.EioPacket;
import io.herald.transport.metrics.Metrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * An Engine.IO session on HTTP long-polling: packets wait in a bounded queue until the client's
 * next GET takes them (one GET parked at a time), and the client's POSTs carry its packets (one
 * POST at a time, as Engine.IO's own server requires). Requests arrive on any event loop; all state
 * lives on the session's loop. A full queue closes the session (the slow-consumer policy): memory
 * stays bounded when a client stops polling.
 */
final class PollingSession implements EioTransport, Subscriber {
  /**
   * How long a session closed by the server waits for the client's next GET to hand it the close
   * packet.
   */
  private static final long CLOSE_PACKET_WAIT_MS = 10_000;

  /**
   * How long a session the client closed ("1") while no GET was parked waits for that GET: the
   * client's GET and its close POST travel on two connections, and the POST may be read first; the
   * GET still gets its noop, not a 400.
   */
  private static final long CLIENT_CLOSE_WAIT_MS = 1_000;

  /**
   * How long a GET that arrives after a successful probe waits before its noop. A client that
   * upgrades sends none (its last poll got the noop when the probe succeeded); one that does may
   * have sent "5" on the WebSocket just before, on another connection the server may read later:
   * the wait lets "5" win, and that GET gets 400, not a noop.
   */
  private static final long UPGRADING_POLL_WAIT_MS = 50;

  /**
   * How long the GET parked when a probe succeeds waits for its noop (see {@link #probed}); the
   * upgrade takes this much longer.
   */
  private static final long PROBED_POLL_WAIT_MS = 20;

  private static final byte[] CLOSE =
      EioPacket.encode(new EioPacket.Close()).getBytes(StandardCharsets.UTF_8);
  private static final byte[] PING =
      EioPacket.encode(new EioPacket.Ping("")).getBytes(StandardCharsets.UTF_8);
  private static final byte[] NOOP =
      EioPacket.encode(new EioPacket.Noop()).getBytes(StandardCharsets.UTF_8);

  private final String sid;
  private final Vertx vertx;
  private final Executor loop;
  private final EioConfig config;
  private final Encoding<byte[]> encoding;

  /** Binary messages that follow an event's packet (Socket.IO attachments); null: none. */
  private final Encoding<List<byte[]>> attachments;

  private final String remoteHost;
  private final Metrics metrics;
  private final Consumer<PollingSession> onGone;

  /**
   * Encoded packets (UTF-8, so the byte bound counts what is really held), with the outbox's limits
   * and policy.
   */
  private final Outbox<byte[]> queue;

  /**
   * The GET waiting for packets. Written on the session's loop only; volatile so /metrics can count
   * parked polls.
   */
  private volatile HttpServerResponse parked;

  /** A POST is being read; set on the request's loop, cleared on the session's. */
  private final AtomicBoolean posting = new AtomicBoolean();

  private EioListener listener;
  private long lastSeq;
  private boolean closed;

  /**
   * Closed while no GET was parked: the next GET gets this (the close packet, or a noop after the
   * client's own close), then the session is gone.
   */
  private byte[] lastAnswer;

  /**
   * The session moved to a WebSocket ("5" arrived there): set by that socket's thread at once, so a
   * GET that follows gets 400.
   */
  private volatile boolean handedOver;

  /**
   * A WebSocket probe succeeded: polls are answered soon (a noop when nothing waits) until "5"
   * arrives. Set by the probe's thread.
   */
  private volatile boolean upgrading;

  /**
   * A probe WebSocket is open for this session: one at a time, so one session cannot hold many
   * sockets.
   */
  private final AtomicBoolean probing = new AtomicBoolean();

  private boolean gone;
  private long pingTimer = -1;
  private long pongTimer = -1;

  PollingSession(
      String sid,
      Vertx vertx,
      Executor loop,
      EioConfig config,
      Encoding<byte[]> encoding,
      Encoding<List<byte[]>> attachments,
      String remoteHost,
      Metrics metrics,
      Consumer<PollingSession> onGone) {
    this.attachments = attachments;
    this.sid = sid;
    this.vertx = vertx;
    this.loop = loop;
    this.config = config;
    this.encoding = encoding;
    this.remoteHost = remoteHost;
    this.metrics = metrics;
    this.onGone = onGone;
    this.queue = new Outbox<>(config.outbox());
  }

  /**
   * On the loop: the open packet is queued for the handshake GET's answer, then the layer above is
   * told.
   */
  void start(String openPacket, EioAcceptor acceptor) {
    enqueue(openPacket.getBytes(StandardCharsets.UTF_8));
    schedulePing();
    listener = acceptor.open(this);
  }

  @Override
  public String sid() {
    return sid;
  }

  @Override
  public String remoteHost() {
    return remoteHost;
  }

  @Override
  public Executor loop() {
    return loop;
  }

  @Override
  public Subscriber subscriber() {
    return this;
  }

  @Override
  public void skipThrough(long seq) {
    lastSeq = Math.max(lastSeq, seq);
  }

  /** Whether a GET is waiting for packets. Any thread. */
  boolean pollParked() {
    return parked != null;
  }

  /** A GET: answered at once when packets wait, else parked until some do (or the next ping). */
  void poll(HttpServerRequest req) {
    HttpServerResponse response = req.response();
    loop.execute(
        () -> {
          if (handedOver) {
            EioError.BAD_REQUEST.send(response);
          } else if (lastAnswer != null) {
            respond(response, List.of(lastAnswer));
            release();
          } else if (closed) {
            EioError.UNKNOWN_SID.send(response);
          } else if (parked
              != null) { // two GETs at once: the client is broken; Engine.IO ends the session
            EioError.BAD_REQUEST.send(response);
            close(CloseReason.PROTOCOL_ERROR);
          } else {
            parked = response;
            response.closeHandler(
                v ->
                    loop.execute(
                        () -> {
                          if (parked != response) return;
                          parked = null;
                          close(CloseReason.POLL_ABORTED);
                        }));
            answer();
            if (upgrading
                && parked
                    == response) { // the client must get its poll back to pause polling and send
              // "5"
              vertx.setTimer(
                  UPGRADING_POLL_WAIT_MS,
                  id ->
                      loop.execute(
                          () -> {
                            if (parked == response) answerParked(List.of(NOOP));
                          }));
            }
          }
        });
  }

  /**
   * A POST: the body's packets, in order, then "ok". A body over maxPayload gets 413 and ends the
   * session.
   */
  void post(HttpServerRequest req) {
    if (PostBody.announcedOver(req, config.maxPayload())) {
      tooLarge(req);
      return;
    }
    if (!posting.compareAndSet(
        false, true)) { // two POSTs at once ("data request overlap" in Engine.IO's server)
      EioError.BAD_REQUEST.send(req.response());
      loop.execute(() -> close(CloseReason.PROTOCOL_ERROR));
      return;
    }
    PostBody.read(
        req,
        config.maxPayload(),
        body -> loop.execute(() -> received(body, req.response())),
        () -> {
          posting.set(false);
          tooLarge(req);
        },
        () -> posting.set(false)); // the client went away mid-body
  }

  private void received(Buffer body, HttpServerResponse response) {
    posting.set(false);
    if (handedOver) {
      EioError.BAD_REQUEST.send(response);
    } else if (closed) {
      EioError.UNKNOWN_SID.send(response);
      return;
    }
    List<EioPacket> packets;
    try {
      packets =
          EioPacket.decodePayload(
              body.toString(StandardCharsets.UTF_8)); // whole: a character may straddle chunks
    } catch (ProtocolException e) {
      EioError.BAD_REQUEST.send(response);
      close(CloseReason.PROTOCOL_ERROR);
      return;
    }
    response.putHeader("content-type", "text/html").end("ok");
    for (EioPacket p : packets) if (!closed) received(p);
  }

  private void tooLarge(HttpServerRequest req) {
    PostBody.refuse(req, config.maxPayload());
    loop.execute(() -> close(CloseReason.MESSAGE_TOO_BIG));
  }

  private void received(EioPacket p) {
    metrics.messageIn();
    switch (p) {
      case EioPacket.Message(String data) -> listener.message(data);
      case EioPacket.Binary(byte[] data) -> listener.binary(data);
      case EioPacket.Pong(String ignored) -> ponged();
      case EioPacket.Ping(String data) -> send(EioPacket.encode(new EioPacket.Pong(data)));
      case EioPacket.Close() -> closedByClient();
      default -> {}
    }
  }

  @Override
  public void send(String packet) {
    enqueue(packet.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void sendBinary(byte[] data) {
    send(EioPacket.encode(new EioPacket.Binary(data)));
  }

  private void enqueue(byte[] packet) {
    if (closed) return;
    switch (queue.offer(packet, packet.length, false)) {
      case ACCEPTED -> answer();
      case OVERFLOWED -> close(CloseReason.SLOW_CONSUMER); // the outbox discarded its queue itself
      case DROPPED, CLOSED -> {}
    }
  }

  /** Everything queued, in order; the queue is empty afterwards. */
  private List<byte[]> takeQueued() {
    List<byte[]> out = new ArrayList<>(queue.size());
    for (byte[] p; (p = queue.poll()) != null; ) out.add(p);
    return out;
  }

  /** Hands everything queued to the parked GET, if there is one. */
  private void answer() {
    if (parked != null && !queue.isEmpty()) answerParked(takeQueued());
  }

  /** Answers the parked GET with {@code packets}; it is no longer parked. */
  private void answerParked(List<byte[]> packets) {
    HttpServerResponse r = parked;
    parked = null;
    respond(r, packets);
  }

  private static void respond(HttpServerResponse r, List<byte[]> packets) {
    r.putHeader("content-type", "text/plain; charset=UTF-8")
        .end(Buffer.buffer(EioPacket.encodePayload(packets)));
  }

  @Override
  public void replay(Replay replay) {
    replay.frames().forEach(this::deliver);
  }

  @Override
  public void deliver(Frame frame) {
    if (closed || frame.seq() <= lastSeq) return;
    lastSeq = frame.seq();
    enqueue(frame.encoded(encoding));
    if (attachments != null) for (byte[] b : frame.encoded(attachments)) sendBinary(b);
  }

  private void schedulePing() {
    pingTimer =
        vertx.setTimer(
            config.pingInterval().toMillis(),
            id ->
                loop.execute(
                    () -> {
                      if (closed) return;
                      enqueue(PING);
                      if (closed)
                        return; // the ping overflowed the queue (do not leave a pong timer behind)
                      pongTimer =
                          vertx.setTimer(
                              config.pingTimeout().toMillis(),
                              t -> loop.execute(() -> close(CloseReason.HEARTBEAT_TIMEOUT)));
                    }));
  }

  /**
   * As Engine.IO's own server: the next ping is scheduled when the client has answered this one.
   */
  private void ponged() {
    if (pongTimer < 0) return;
    cancelPongTimer();
    schedulePing();
  }

  private void cancelPongTimer() {
    if (pongTimer >= 0) vertx.cancelTimer(pongTimer);
    pongTimer = -1;
  }

  /**
   * Ends the session. Queued packets are dropped; the close packet goes to the parked GET, or to
   * the next GET within {@value #CLOSE_PACKET_WAIT_MS} ms, so the client hears a close rather than
   * "Session ID unknown". A ping timeout, a GET the client gave up on, an Engine.IO protocol error
   * or an oversized body (both already answered with 400 or 413) needs no close packet waiting for
   * a GET. Idempotent.
   */
  @Override
  public void close(CloseReason reason) {
    end(reason, CLOSE, tellsClient(reason) ? CLOSE_PACKET_WAIT_MS : 0);
  }

  private static boolean tellsClient(CloseReason reason) {
    return !(reason.equals(CloseReason.HEARTBEAT_TIMEOUT)
        || reason.equals(CloseReason.PROTOCOL_ERROR)
        || reason.equals(CloseReason.POLL_ABORTED)
        || reason.equals(CloseReason.MESSAGE_TOO_BIG));
  }

  /**
   * The client posted "1": as the specification's close sequence, its parked GET (or the one on its
   * way, whose POST was read first) is answered with a noop, and the session is gone.
   */
  private void closedByClient() {
    end(CloseReason.NORMAL, NOOP, CLIENT_CLOSE_WAIT_MS);
  }

  /**
   * Ends the session: {@code answer} goes to the parked GET, or waits {@code waitMs} for the next
   * one (0: none waits).
   */
  private void end(CloseReason reason, byte[] answer, long waitMs) {
    if (closed) return;
    stop();
    queue.close();
    metrics.disconnect(reason);
    if (parked != null) {
      answerParked(List.of(answer));
    } else if (waitMs > 0) {
      lastAnswer = answer;
      vertx.setTimer(waitMs, id -> loop.execute(this::release));
    }
    if (listener != null) listener.closed();
    if (lastAnswer == null) release();
  }

  /**
   * Takes the session's one probe slot; false while another probe WebSocket is open. Any thread.
   */
  boolean claimProbe() {
    return probing.compareAndSet(false, true);
  }

  /** The probe WebSocket closed (it timed out, failed, or its upgrade is over). Any thread. */
  void probeGone() {
    probing.set(false);
  }

  /**
   * A WebSocket probe succeeded: a parked GET returns (with a noop) so the client can pause polling
   * and upgrade.
   */
  void probed() {
    upgrading = true;
    // Shortly, not at once: a client may send "5" right behind "2probe" and a GET right behind
    // that, which the server
    // may read first, on another connection; if "5" follows within the wait, that GET gets 400 from
    // the hand-over.
    vertx.setTimer(
        PROBED_POLL_WAIT_MS,
        id ->
            loop.execute(
                () -> {
                  if (parked != null && !closed) answerParked(List.of(NOOP));
                }));
  }

  /**
   * The client sent "5" on its probe WebSocket: from now on requests with this sid are refused
   * (400), before the hand-over below has reached this session's loop. Any thread.
   */
  void handOver() {
    handedOver = true;
  }

  /**
   * What the WebSocket takes over: the layer above, the packets not yet polled, the last event
   * given.
   */
  record Handover(EioListener listener, List<byte[]> pending, long lastSeq) {}

  /**
   * The client sent "upgrade" on its probe WebSocket: this session stops (without telling the layer
   * above) and hands over to {@code then}, or passes null when it had already ended.
   */
  void upgrade(Consumer<Handover> then) {
    loop.execute(
        () -> {
          if (closed) {
            then.accept(null);
            return;
          }
          stop();
          List<byte[]> pending = takeQueued();
          queue.close();
          if (parked
              != null) { // a GET sent during the upgrade: the session is on its WebSocket now
            EioError.BAD_REQUEST.send(parked);
            parked = null;
          }
          release();
          then.accept(new Handover(listener, pending, listener.position(lastSeq)));
        });
  }

  /** No more packets in or out, no more pings: the start of both a close and a hand-over. */
  private void stop() {
    closed = true;
    if (pingTimer >= 0) vertx.cancelTimer(pingTimer);
    cancelPongTimer();
  }

  /** Forgets the session: later requests with its sid get "Session ID unknown". */
  private void release() {
    if (gone) return;
    gone = true;
    lastAnswer = null;
    onGone.accept(this);
  }

  /** Shutdown, from any thread. */
  void shutdown() {
    loop.execute(() -> close(CloseReason.SHUTDOWN));
  }
}
