package io.herald.bench.load;

import io.herald.testkit.WsHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens WebSocket connections as fast as a server takes them and holds them: {@code inFlight}
 * threads, each doing one handshake after another (connect, upgrade request, read up to the end of
 * the 101's head). Unlike the fan-out clients, which read the head a byte at a time so as to leave
 * the first frame for their reader, this one reads the head in one buffer and drops whatever
 * follows: the figure is the server's rate, not this client's syscalls.
 */
public final class Handshakes implements AutoCloseable {
  /**
   * One round.
   *
   * @param opened upgrades answered with 101
   * @param failed refused, reset or timed out
   * @param nanos from the first connect to the last answer
   * @param latency connect-to-101 per handshake, in microseconds
   */
  public record Round(int opened, int failed, long nanos, Histogram latency) {
    public double perSecond() {
      return opened / (nanos / 1e9);
    }
  }

  private final List<SocketChannel> held = Collections.synchronizedList(new ArrayList<>());
  private final List<String> sources;

  public Handshakes(int sourceAddresses) {
    this.sources = SelectorLoops.sources(sourceAddresses);
  }

  /**
   * {@code n} handshakes to {@code path}, {@code inFlight} at a time, every upgraded connection
   * kept open.
   */
  public Round open(int port, String path, int n, int inFlight, Progress progress)
      throws InterruptedException {
    AtomicInteger next = new AtomicInteger(),
        failed = new AtomicInteger(),
        opened = new AtomicInteger();
    Histogram latency = new Histogram();
    byte[] request = WsHandshake.request(path, "127.0.0.1:" + port, null);
    long start = System.nanoTime();
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < inFlight; w++) {
      workers.add(
          Thread.ofPlatform()
              .name("bench-handshake-" + w)
              .start(
                  () -> {
                    ByteBuffer buf = ByteBuffer.allocate(4096);
                    for (int i; (i = next.getAndIncrement()) < n; ) {
                      long t0 = System.nanoTime();
                      if (once(sources.get(i % sources.size()), port, request, buf)) {
                        latency.record((System.nanoTime() - t0) / 1000);
                        opened.incrementAndGet();
                      } else {
                        failed.incrementAndGet();
                      }
                    }
                  }));
    }
    for (Thread t : workers) {
      while (t.isAlive()) {
        progress.tick("handshakes", Math.min(n, next.get()), n);
        t.join(200);
      }
    }
    progress.tick("handshakes", n, n);
    return new Round(opened.get(), failed.get(), System.nanoTime() - start, latency);
  }

  private boolean once(String source, int port, byte[] request, ByteBuffer buf) {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.bind(new InetSocketAddress(source, 0));
      ch.socket().setSoTimeout(10_000);
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      ch.write(ByteBuffer.wrap(request));
      buf.clear();
      while (!headComplete(buf)) {
        if (ch.read(buf) < 0 || !buf.hasRemaining()) throw new IOException("no complete head");
      }
      String status =
          new String(buf.array(), 0, Math.min(buf.position(), 16), StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.1 101")) throw new IOException(status);
      held.add(ch);
      return true;
    } catch (IOException e) {
      if (ch != null) closeQuietly(ch);
      return false;
    }
  }

  private static boolean headComplete(ByteBuffer buf) {
    byte[] a = buf.array();
    for (int i = 3; i < buf.position(); i++) {
      if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') return true;
    }
    return false;
  }

  public int held() {
    return held.size();
  }

  /** Closes every held connection. */
  @Override
  public void close() {
    synchronized (held) {
      held.forEach(Handshakes::closeQuietly);
      held.clear();
    }
  }

  private static void closeQuietly(SocketChannel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }
}
