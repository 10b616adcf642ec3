package io.herald.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * The load generator's selector threads: each owns the sockets handed to it (round robin),
 * registers them for reading and passes every ready key to its own {@link Handler}, whose buffers
 * are therefore confined to one thread. On close each thread closes its own sockets and selector: a
 * channel closed from another thread keeps its descriptor until its selector runs again.
 *
 * @param <C> the per-socket state
 */
final class SelectorLoops<C> implements AutoCloseable {
  /** What one selector thread does with its sockets. Called on that thread only. */
  interface Handler<C> {
    SocketChannel channel(C c);

    /** Just registered (for reading): a client that speaks first writes here. */
    default void registered(C c, SelectionKey k) throws IOException {}

    void ready(C c, SelectionKey k) throws IOException;
  }

  private final List<Loop> loops = new ArrayList<>();
  private volatile boolean running = true;

  SelectorLoops(int threads, String name, Supplier<? extends Handler<C>> handlers)
      throws IOException {
    for (int i = 0; i < threads; i++) {
      Loop l = new Loop(Selector.open(), handlers.get());
      loops.add(l);
      l.thread = Thread.ofPlatform().daemon().name(name + "-" + i).start(l);
    }
  }

  /**
   * Loopback source addresses 127.0.0.2 onwards, so that many connections do not run out of
   * ephemeral ports.
   */
  static List<String> sources(int n) {
    List<String> s = new ArrayList<>();
    for (int i = 0; i < n; i++) s.add("127.0.0." + (2 + i));
    return s;
  }

  /** Hands the {@code i}-th socket (nonblocking) to a thread. */
  void add(int i, C c) {
    Loop l = loops.get(i % loops.size());
    l.pending.add(c);
    l.selector.wakeup();
  }

  /** Stops the threads and waits until each has closed its sockets and selector. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Loop l : loops) l.selector.wakeup();
    for (Loop l : loops) l.thread.join();
  }

  private final class Loop implements Runnable {
    final Selector selector;
    final Handler<C> handler;
    final ConcurrentLinkedQueue<C> pending = new ConcurrentLinkedQueue<>();
    Thread thread;

    Loop(Selector selector, Handler<C> handler) {
      this.selector = selector;
      this.handler = handler;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run() {
      try {
        while (running) {
          selector.select(100);
          for (C c; (c = pending.poll()) != null; )
            handler.registered(c, handler.channel(c).register(selector, SelectionKey.OP_READ, c));
          for (SelectionKey k : selector.selectedKeys()) handler.ready((C) k.attachment(), k);
          selector.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        for (C c; (c = pending.poll()) != null; ) Sockets.quietly(handler.channel(c));
        for (SelectionKey k : selector.keys()) Sockets.quietly(k.channel());
        Sockets.quietly(selector);
      }
    }
  }
}
