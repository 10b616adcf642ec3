package io.herald.transport.ws;

import io.herald.core.event.Encoding;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.Outbox;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.transport.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * One client WebSocket: the single writer for its socket, its bounded outbox, heartbeat and inbound
 * limits.
 *
 * <p>State accessed exclusively by the connection's event loop thread (the hub delivers on {@link
 * #loop()}). Writes go straight to the socket while Netty's buffer has room; after that they queue
 * in the outbox until the drain handler fires. An outbox overflow closes the connection with the
 * policy's code (4008 by default) and discards the queue rather than flushing it to a client that
 * cannot keep up.
 */
public final class WsConnection implements Subscriber {
  private final WsSocket ws;
  private final WsConfig config;
  private final Encoding<byte[]> encoding;

  /** Text messages as {@code byte[]} (UTF-8), binary ones as {@link BinaryMessage}. */
  private final Outbox<Object> outbox;

  private final Metrics metrics;
  private final Connections connections;
  private final Loop loop;
  private Function<Replay, String> replayHeader = r -> null;
  private Runnable onClose = () -> {};

  /** The heartbeat's text message (WsConfig.textPing as UTF-8), null for a ping frame. */
  private final byte[] textPing;

  private long lastSeq;
  private long lastSeenNanos = System.nanoTime();
  private long blockedSinceNanos;
  private volatile boolean closed;
  private boolean draining;
  private boolean released;
  private CompletableFuture<Boolean> drained; // one paced sender at a time; null almost always

  /**
   * The next heartbeat, scheduled on the socket's event loop so it goes out on time (cancelled when
   * the connection goes).
   */
  private Future<?> pingTask;

  /** This connection's index among its {@link Loop}'s members, -1 when not in one. */
  int slot = -1;

  WsConnection(
      Context context,
      WsSocket ws,
      WsConfig config,
      Encoding<byte[]> encoding,
      Metrics metrics,
      Connections connections) {
    this.ws = ws;
    this.config = config;
    this.encoding = encoding;
    this.outbox = new Outbox<>(config.outbox());
    this.metrics = metrics;
    this.connections = connections;
    this.textPing =
        config.textPing() == null ? null : config.textPing().getBytes(StandardCharsets.UTF_8);
    this.loop = connections.loops.of(context);
  }

  /**
   * What the layer above hears from the client: text messages, and binary ones where the protocol
   * has them.
   */
  @FunctionalInterface
  public interface Inbound {
    void text(String message);

    /**
     * A binary message within the size limit; false refuses it, and the connection closes with 1003
     * (unsupported data).
     */
    default boolean binary(byte[] message) {
      return false;
    }
  }

  /** A binary message waiting in the outbox (text messages wait there as their UTF-8 bytes). */
  private record BinaryMessage(byte[] data) {}

  /**
   * Accepts the upgraded socket and starts heartbeat and reading. Must run on the socket's event
   * loop.
   *
   * @param inbound called with each client message within the size limit
   * @param replayHeader the message sent before a resume's replayed events (null for none)
   * @param onClose called once when the connection is gone, whatever closed it
   */
  public static WsConnection open(
      Vertx vertx,
      WsSocket ws,
      WsConfig config,
      Encoding<byte[]> encoding,
      Metrics metrics,
      Connections connections,
      Inbound inbound,
      Function<Replay, String> replayHeader,
      Runnable onClose) {
    WsConnection c =
        new WsConnection(vertx.getOrCreateContext(), ws, config, encoding, metrics, connections);
    c.replayHeader = replayHeader;
    c.onClose = onClose;
    c.start(inbound);
    return c;
  }

  private void start(Inbound inbound) {
    connections.add(this);
    ws.events(
        new WsSocket.Events() {
          @Override
          public void text(String message) {
            metrics.messageIn();
            if (!closed) inbound.text(message);
          }

          @Override
          public void binary(byte[] message) {
            metrics.messageIn();
            if (!closed && !inbound.binary(message)) close(CloseReason.UNSUPPORTED_DATA);
          }

          @Override
          public void tooBig() {
            close(CloseReason.MESSAGE_TOO_BIG);
          }

          @Override
          public void seen() {
            lastSeenNanos = System.nanoTime();
          }

          @Override
          public void writable() {
            drain();
          }

          @Override
          public void closed() {
            gone();
          }
        });
    // Timeouts are checked by the loop's sweep (a quarter late at most); pings are timed per
    // connection, so they go
    // out every ping period on the dot: a client that expects one within a short Engine.IO
    // pingTimeout gets it.
    long tick = Math.min(config.pongTimeout().toMillis(), config.writeTimeout().toMillis());
    loop.add(this, Math.max(10, tick / 4));
    schedulePing();
    if (!ws.active()) gone(); // closed during the handshake: its close event went to no one
  }

  private void schedulePing() {
    pingTask = ws.schedule(this::ping, config.pingPeriod().toMillis());
  }

  private void ping() {
    if (closed) return;
    if (textPing == null) {
      ws.ping();
    } else {
      send(textPing);
      ws.flush();
    }
    schedulePing();
  }

  /** The executor the hub must deliver on: this connection's event loop. */
  public Executor loop() {
    return loop;
  }

  @Override
  public void replay(Replay replay) {
    String header = replayHeader.apply(replay);
    if (header != null) send(header.getBytes(StandardCharsets.UTF_8));
    replay.frames().forEach(this::deliver);
    ws.flush();
  }

  /**
   * The engine lost events this connection had not received: the client hears it as a resume that
   * did not recover.
   */
  @Override
  public void reset(Replay replay) {
    replay(replay);
  }

  /** The sequence of the last event sent to this connection (0 before the first). Loop-confined. */
  public long lastSeq() {
    return lastSeq;
  }

  @Override
  public void deliver(Frame frame) {
    if (closed || frame.seq() <= lastSeq) return; // seq guard: makes the resume seam exact
    lastSeq = frame.seq();
    send(frame.encoded(encoding));
    if (config.attachments() != null)
      for (byte[] b : frame.encoded(config.attachments())) send(new BinaryMessage(b));
  }

  @Override
  public void flush() {
    ws.flush();
  }

  /**
   * Sends a message meant for this connection only (welcome, pong, error), in order with events,
   * and flushes.
   */
  public void sendText(String json) {
    send(json.getBytes(StandardCharsets.UTF_8));
    ws.flush();
  }

  /** Sends a binary message meant for this connection only, in order with events, and flushes. */
  public void sendBinary(byte[] data) {
    send(new BinaryMessage(data));
    ws.flush();
  }

  /**
   * Sends a message from any thread and completes, with whether the connection is still open, once
   * the outbox is empty again. A bulk sender (a replay) waits for each message so that it paces
   * itself to the client instead of overflowing the outbox. One paced sender per connection at a
   * time.
   */
  public CompletableFuture<Boolean> sendPaced(String json) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    loop()
        .execute(
            () -> {
              sendText(json);
              if (closed) f.complete(false);
              else if (outbox.isEmpty()) f.complete(true);
              else drained = f;
            });
    return f;
  }

  /**
   * Channel events up to {@code seq} are skipped (the seq guard moves there); call on the event
   * loop.
   */
  public void skipThrough(long seq) {
    lastSeq = Math.max(lastSeq, seq);
  }

  /** Whether the connection is open (approximate off the event loop). */
  public boolean isOpen() {
    return !closed;
  }

  private void completeDrained(boolean open) {
    CompletableFuture<Boolean> f = drained;
    drained = null;
    if (f != null) f.complete(open);
  }

  /** {@code message} is a text message's UTF-8 bytes or a {@link BinaryMessage}. */
  private void send(Object message) {
    if (closed) return;
    if (outbox.isEmpty() && ws.writable()) {
      write(message); // flushed by flush(), at the end of the hub's batch
      return;
    }
    if (blockedSinceNanos == 0) blockedSinceNanos = System.nanoTime();
    int queued = outbox.size();
    int size =
        message instanceof byte[] utf8 ? utf8.length : ((BinaryMessage) message).data().length;
    switch (outbox.offer(message, size, false)) {
      case ACCEPTED -> metrics.outboxDelta(1);
      case DROPPED -> metrics.dropped("outbox_full");
      case OVERFLOWED -> { // the outbox discarded its queue itself
        metrics.outboxDelta(-queued);
        close(overflowReason());
      }
      case CLOSED -> {}
    }
  }

  private CloseReason overflowReason() {
    return config.outbox().policy() instanceof OverflowPolicy.Disconnect(CloseReason r)
        ? r
        : CloseReason.SLOW_CONSUMER;
  }

  /**
   * Moves queued messages to the socket while it has room. Runs on the event loop when it becomes
   * writable.
   */
  private void drain() {
    if (closed) return;
    int sent = 0;
    while (!outbox.isEmpty() && ws.writable()) {
      write(outbox.poll());
      sent++;
    }
    ws.flush();
    metrics.outboxDelta(-sent);
    if (outbox.isEmpty()) {
      blockedSinceNanos = 0;
      completeDrained(true);
      if (draining) close(CloseReason.SHUTDOWN);
    } else if (sent > 0) {
      blockedSinceNanos = System.nanoTime(); // progress: the write timeout counts from here
    }
  }

  private void write(Object message) {
    if (message instanceof byte[] utf8) ws.write(utf8);
    else ws.writeBinary(((BinaryMessage) message).data());
  }

  /** Called by the loop's sweep: closes on a pong or write timeout. */
  void tick(long now) {
    if (now - lastSeenNanos > config.pongTimeout().toNanos()) {
      close(CloseReason.HEARTBEAT_TIMEOUT);
    } else if (blockedSinceNanos != 0
        && now - blockedSinceNanos > config.writeTimeout().toNanos()) {
      close(CloseReason.WRITE_TIMEOUT);
    }
  }

  /** Closes with {@code reason}, discarding whatever is queued. Idempotent. */
  public void close(CloseReason reason) {
    if (closed) return;
    closed = true;
    discardOutbox();
    ws.flush(); // what was written before the close decision still goes out, ahead of the close
    // frame
    metrics.disconnect(reason);
    ws.close(reason);
    gone();
  }

  /** Shutdown: flush the queue, then close with 1001. Safe to call from any thread. */
  void shutdown() {
    loop.execute(
        () -> {
          draining = true;
          if (outbox.isEmpty()) close(CloseReason.SHUTDOWN);
        });
  }

  /** Shutdown deadline passed: close now, queue or not. Safe to call from any thread. */
  void abort() {
    loop.execute(() -> close(CloseReason.SHUTDOWN));
  }

  private void discardOutbox() {
    metrics.outboxDelta(-outbox.size());
    outbox.close();
  }

  /** Runs once when the connection is gone, by our close or the peer's. */
  private void gone() {
    if (released) return;
    released = true;
    closed = true;
    if (pingTask != null) pingTask.cancel(false);
    discardOutbox();
    loop.remove(this);
    connections.remove(this);
    completeDrained(false);
    onClose.run();
  }
}
