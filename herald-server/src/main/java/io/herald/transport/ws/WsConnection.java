package io.herald.transport.ws;

import io.herald.core.event.Encoding;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import io.herald.core.outbox.Offer;
import io.herald.core.outbox.Outbox;
import io.herald.core.outbox.OverflowPolicy;
import io.herald.transport.metrics.Metrics;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One client WebSocket: the single writer for its socket, its bounded outbox, heartbeat and inbound limits.
 *
 * <p>State accessed exclusively by the connection's event loop thread (the hub delivers on {@link #loop()}).
 * Writes go straight to the socket while Netty's buffer has room; after that they queue in the outbox until
 * the drain handler fires. An outbox overflow closes the connection with the policy's code (4008 by default)
 * and discards the queue rather than flushing it to a client that cannot keep up.
 */
public final class WsConnection implements Subscriber {
  private final WsSocket ws;
  private final WsConfig config;
  private final Encoding<byte[]> encoding;
  private final Outbox<byte[]> outbox;
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
  private CompletableFuture<Boolean> drained;  // one paced sender at a time; null almost always
  private long lastPingNanos = System.nanoTime();
  /** This connection's index among its {@link Loop}'s members, -1 when not in one. */
  int slot = -1;

  WsConnection(Context context, WsSocket ws, WsConfig config, Encoding<byte[]> encoding,
      Metrics metrics, Connections connections) {
    this.ws = ws;
    this.config = config;
    this.encoding = encoding;
    this.outbox = new Outbox<>(config.outbox());
    this.metrics = metrics;
    this.connections = connections;
    this.textPing = config.textPing() == null ? null : config.textPing().getBytes(StandardCharsets.UTF_8);
    this.loop = connections.loops.of(context);
  }

  /**
   * Accepts the upgraded socket and starts heartbeat and reading. Must run on the socket's event loop.
   *
   * @param onText       called with each client text message within the size limit
   * @param replayHeader the message sent before a resume's replayed events (null for none)
   * @param onClose      called once when the connection is gone, whatever closed it
   */
  public static WsConnection open(Vertx vertx, WsSocket ws, WsConfig config, Encoding<byte[]> encoding,
      Metrics metrics, Connections connections, Consumer<String> onText, Function<Replay, String> replayHeader,
      Runnable onClose) {
    WsConnection c = new WsConnection(vertx.getOrCreateContext(), ws, config, encoding, metrics, connections);
    c.replayHeader = replayHeader;
    c.onClose = onClose;
    c.start(onText);
    return c;
  }

  private void start(Consumer<String> onText) {
    connections.add(this);
    ws.events(new WsSocket.Events() {
      @Override
      public void text(String message) {
        metrics.messageIn();
        if (!closed) onText.accept(message);
      }

      @Override
      public void binary() {
        close(CloseReason.UNSUPPORTED_DATA);
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
    long tick = Math.min(config.pingPeriod().toMillis(), Math.min(config.pongTimeout().toMillis(), config.writeTimeout().toMillis()));
    loop.add(this, Math.max(10, tick / 4));
    if (!ws.active()) gone();  // closed during the handshake: its close event went to no one
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

  @Override
  public void deliver(Frame frame) {
    if (closed || frame.seq() <= lastSeq) return;  // seq guard: makes the resume seam exact
    lastSeq = frame.seq();
    send(frame.encoded(encoding));
  }

  @Override
  public void flush() {
    ws.flush();
  }

  /** Sends a message meant for this connection only (welcome, pong, error), in order with events, and flushes. */
  public void sendText(String json) {
    send(json.getBytes(StandardCharsets.UTF_8));
    ws.flush();
  }

  /**
   * Sends a message from any thread and completes, with whether the connection is still open, once the outbox
   * is empty again. A bulk sender (a replay) waits for each message so that it paces itself to the client
   * instead of overflowing the outbox. One paced sender per connection at a time.
   */
  public CompletableFuture<Boolean> sendPaced(String json) {
    CompletableFuture<Boolean> f = new CompletableFuture<>();
    loop().execute(() -> {
      sendText(json);
      if (closed) f.complete(false);
      else if (outbox.isEmpty()) f.complete(true);
      else drained = f;
    });
    return f;
  }

  /** Channel events up to {@code seq} are skipped (the seq guard moves there); call on the event loop. */
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

  private void send(byte[] utf8) {
    if (closed) return;
    if (outbox.isEmpty() && ws.writable()) {
      ws.write(utf8);  // flushed by flush(), at the end of the hub's batch
      return;
    }
    if (blockedSinceNanos == 0) blockedSinceNanos = System.nanoTime();
    int queued = outbox.size();
    switch (outbox.offer(utf8, utf8.length, false)) {
      case ACCEPTED -> metrics.outboxDelta(1);
      case DROPPED -> metrics.dropped("outbox_full");
      case OVERFLOWED -> {  // the outbox discarded its queue itself
        metrics.outboxDelta(-queued);
        close(overflowReason());
      }
      case CLOSED -> { }
    }
  }

  private CloseReason overflowReason() {
    return config.outbox().policy() instanceof OverflowPolicy.Disconnect(CloseReason r) ? r : CloseReason.SLOW_CONSUMER;
  }

  /** Moves queued messages to the socket while it has room. Runs on the event loop when it becomes writable. */
  private void drain() {
    if (closed) return;
    int sent = 0;
    while (!outbox.isEmpty() && ws.writable()) {
      ws.write(outbox.poll());
      sent++;
    }
    ws.flush();
    metrics.outboxDelta(-sent);
    if (outbox.isEmpty()) {
      blockedSinceNanos = 0;
      completeDrained(true);
      if (draining) close(CloseReason.SHUTDOWN);
    } else if (sent > 0) {
      blockedSinceNanos = System.nanoTime();  // progress: the write timeout counts from here
    }
  }

  /** The heartbeat, called by the loop's sweep: pings when due, closes on a pong or write timeout. */
  void tick(long now) {
    if (now - lastPingNanos >= config.pingPeriod().toNanos()) {
      lastPingNanos = now;
      if (textPing == null) {
        ws.ping();
      } else {
        send(textPing);
        ws.flush();
      }
    }
    if (now - lastSeenNanos > config.pongTimeout().toNanos()) {
      close(CloseReason.HEARTBEAT_TIMEOUT);
    } else if (blockedSinceNanos != 0 && now - blockedSinceNanos > config.writeTimeout().toNanos()) {
      close(CloseReason.WRITE_TIMEOUT);
    }
  }

  /** Closes with {@code reason}, discarding whatever is queued. Idempotent. */
  public void close(CloseReason reason) {
    if (closed) return;
    closed = true;
    discardOutbox();
    ws.flush();  // what was written before the close decision still goes out, ahead of the close frame
    metrics.disconnect(reason);
    ws.close(reason);
    gone();
  }

  /** Shutdown: flush the queue, then close with 1001. Safe to call from any thread. */
  void shutdown() {
    loop.execute(() -> {
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
    discardOutbox();
    loop.remove(this);
    connections.remove(this);
    completeDrained(false);
    onClose.run();
  }
}
