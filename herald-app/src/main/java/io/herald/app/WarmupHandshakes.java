package io.herald.app;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens and closes WebSockets on the warm-up's private push-hub until a deadline, so that the
 * upgrade path (accept, HTTP parse, 101, welcome, close) is compiled before a reconnect storm after
 * a deploy depends on it: a fresh JVM takes its first 10,000 handshakes at about a third of its
 * warm rate (BENCHMARKS.md). Plain blocking sockets, as the other warm-up clients, so the JIT's
 * profile of Netty's classes stays a server's.
 */
final class WarmupHandshakes {
  /** Concurrent connectors: a few in flight keep the copy's accept loop busy. */
  private static final int CONNECTORS = 4;

  private static final byte[] REQUEST =
      ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII);

  private WarmupHandshakes() {}

  /** Handshakes done until {@code deadline} (System.nanoTime); any failure ends the phase. */
  static long until(int port, long deadline) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < CONNECTORS; w++) {
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .name("herald-warmup-connector-" + w)
              .start(
                  () -> {
                    byte[] buf = new byte[1024];
                    while (System.nanoTime() < deadline && once(port, buf)) done.incrementAndGet();
                  }));
    }
    for (Thread t : threads) t.join();
    return done.get();
  }

  private static boolean once(int port, byte[] buf) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      s.setSoTimeout(5_000);
      s.getOutputStream().write(REQUEST);
      InputStream in = s.getInputStream();
      int n = in.read(buf);
      return n >= 12 && new String(buf, 0, 12, StandardCharsets.US_ASCII).equals("HTTP/1.1 101");
    } catch (IOException e) {
      return false;
    }
  }
}
