package io.herald.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The warm-up's WebSocket clients: plain NIO sockets that send an upgrade request and then read and
 * discard whatever arrives, on one thread. Plain sockets and not Vert.x or Netty clients, so that
 * the JIT's profile of Netty's classes stays that of a server (a client's handlers at the same call
 * sites would make them look polymorphic).
 */
final class WarmupClients implements AutoCloseable {
  private final Selector selector;
  private final List<SocketChannel> sockets = new ArrayList<>();
  private final AtomicLong bytes = new AtomicLong();
  private final Thread reader;
  private volatile int answered;
  private volatile boolean closed;

  private WarmupClients(Selector selector) {
    this.selector = selector;
    this.reader =
        Thread.ofPlatform().daemon().name("herald-warmup-clients").unstarted(this::readAll);
  }

  /** Opens {@code n} connections to {@code /ws} on {@code port} and starts reading them. */
  static WarmupClients open(int port, int n) throws IOException {
    WarmupClients c = new WarmupClients(Selector.open());
    try {
      byte[] upgrade =
          ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Key: aGVyYWxkLXdhcm0tdXAhIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
      for (int i = 0; i < n; i++) {
        SocketChannel s = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
        c.sockets.add(s);
        ByteBuffer b = ByteBuffer.wrap(upgrade);
        while (b.hasRemaining()) s.write(b);
        s.configureBlocking(false);
        s.register(c.selector, SelectionKey.OP_READ, new boolean[1]);
      }
      c.reader.start();
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * Connections that have received anything (the 101 and the welcome): subscribed to the channel.
   */
  int answered() {
    return answered;
  }

  long bytes() {
    return bytes.get();
  }

  private void readAll() {
    ByteBuffer sink = ByteBuffer.allocateDirect(64 * 1024);
    try {
      while (!closed) {
        selector.select(100);
        for (SelectionKey k : selector.selectedKeys()) {
          sink.clear();
          int r = ((SocketChannel) k.channel()).read(sink);
          if (r < 0) {
            k.cancel();
            continue;
          }
          bytes.addAndGet(r);
          boolean[] seen = (boolean[]) k.attachment();
          if (!seen[0] && r > 0) {
            seen[0] = true;
            answered++; // only this thread writes it
          }
        }
        selector.selectedKeys().clear();
      }
    } catch (IOException | ClosedSelectorException e) {
      // closed under us: the warm-up is over
    }
  }

  @Override
  public void close() {
    closed = true;
    for (SocketChannel s : sockets) {
      try {
        s.close();
      } catch (IOException e) {
        // nothing to keep: a warm-up socket
      }
    }
    try {
      reader.join(1000);
      selector.close();
    } catch (IOException | InterruptedException e) {
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }
}
