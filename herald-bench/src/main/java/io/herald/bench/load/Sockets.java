package io.herald.bench.load;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** What the load generator's selector loops share. */
final class Sockets {
  private Sockets() {}

  /**
   * Reads what is there into {@code buf}. At end of stream or on an error the channel is closed,
   * its key cancelled and {@code closed} counted; then -1.
   */
  static int readOrClose(SocketChannel ch, ByteBuffer buf, SelectionKey k, AtomicInteger closed)
      throws IOException {
    int n;
    try {
      n = ch.read(buf);
    } catch (IOException e) {
      n = -1;
    }
    if (n < 0) {
      k.cancel();
      ch.close();
      closed.incrementAndGet();
    }
    return n;
  }

  /** Closes while shutting down, where a failed close changes nothing. */
  static void quietly(Closeable c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // nothing to do about it
    }
  }
}
