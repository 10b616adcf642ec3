package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * N WebSocket clients spread over several loopback source addresses (127.0.0.2, .3, ...) so that very large N
 * never runs out of ephemeral ports on one address. Counts receipts, loss and reordering, and records
 * publish-to-receipt latency.
 */
public final class ClientPool implements AutoCloseable {
  /** Per-connection state, confined to that connection's event loop. */
  private static final class Conn {
    long lastI = -1;
  }

  private final Vertx vertx;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<WebSocket> sockets = new ArrayList<>();
  public final Histogram latency = new Histogram();
  public final LongAdder received = new LongAdder();
  public final LongAdder reordered = new LongAdder();
  public final AtomicInteger closed = new AtomicInteger();

  public ClientPool(Vertx vertx, int sourceAddresses) {
    this.vertx = vertx;
    for (int i = 0; i < sourceAddresses; i++) {
      clients.add(vertx.createWebSocketClient(new WebSocketClientOptions().setMaxConnections(100_000)
          .setLocalAddress("127.0.0." + (2 + i)).setConnectTimeout(30_000).setTcpNoDelay(true)));
    }
  }

  /** Opens {@code n} connections, at most 256 handshakes in flight, with a progress line each second. */
  public int connect(int port, int n, Progress progress) throws InterruptedException {
    Semaphore inFlight = new Semaphore(256);
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger failed = new AtomicInteger();
    for (int i = 0; i < n; i++) {
      inFlight.acquire();
      WebSocketClient c = clients.get(i % clients.size());
      Future<WebSocket> f = c.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
          .map(this::attach);
      f.onComplete(ar -> {
        if (ar.failed()) failed.incrementAndGet();
        inFlight.release();
        done.countDown();
      });
      progress.tick("connecting", n - done.getCount(), n);
    }
    done.await();
    progress.tick("connecting", n, n);
    return n - failed.get();
  }

  private synchronized WebSocket attach(WebSocket ws) {
    Conn state = new Conn();
    ws.handler(b -> onMessage(state, b));
    ws.closeHandler(v -> closed.incrementAndGet());
    sockets.add(ws);
    return ws;
  }

  private void onMessage(Conn state, Buffer b) {
    long i = Payload.number(b, 'i');
    if (i < 0) return;  // connection_established and the like
    long t = Payload.number(b, 't');
    latency.record((System.nanoTime() - t) / 1000);
    received.increment();
    if (i < state.lastI) reordered.increment();
    state.lastI = i;
  }

  public synchronized int open() {
    return sockets.size() - closed.get();
  }

  @Override
  public void close() {
    List<WebSocket> copy;
    synchronized (this) {
      copy = List.copyOf(sockets);
    }
    copy.forEach(ws -> ws.close());
    clients.forEach(c -> c.close());
  }
}
