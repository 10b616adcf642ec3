package io.herald.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntFunction;

/**
 * Many keep-alive HTTP/1.1 connections on a few selector threads, one request in flight per
 * connection. Like {@link RawClients}, it parses responses in place so that the load generator
 * costs less than the server it measures. Responses must carry {@code Content-Length} (Herald's
 * JSON answers do).
 */
public final class HttpLoad implements AutoCloseable {
  /**
   * Decides what a connection does after each response. Runs on the connection's selector thread.
   */
  public interface Handler {
    /**
     * @param body the response body, {@code body[0..length)}; valid only during the call
     * @return the next request for this connection, or null to leave it idle
     */
    byte[] onResponse(Conn c, int status, byte[] body, int length, long sentNanos);
  }

  /** One connection. {@code id} is its index among all opened; {@code state} is the handler's. */
  public static final class Conn {
    public final int id;
    public Object state;
    final SocketChannel channel;
    ByteBuffer out;
    long sentNanos;
    byte[] in = new byte[16 * 1024];
    int inLen;

    Conn(int id, SocketChannel channel) {
      this.id = id;
      this.channel = channel;
    }
  }

  public final LongAdder responses = new LongAdder();
  public final LongAdder failures = new LongAdder();
  public final AtomicInteger closed = new AtomicInteger();
  private final SelectorLoops<Conn> loops;
  private final List<String> sources;
  private final Handler handler;

  public HttpLoad(int threads, int sourceAddresses, Handler handler) throws IOException {
    this.handler = handler;
    this.sources = SelectorLoops.sources(sourceAddresses);
    this.loops = new SelectorLoops<>(threads, "bench-http", Loop::new);
  }

  /** A GET request with an optional bearer token. */
  public static byte[] get(String path, String token) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Opens {@code n} connections and sends each its first request, {@code first.apply(id)}. */
  public void open(int port, int n, Progress progress, IntFunction<byte[]> first)
      throws IOException {
    for (int i = 0; i < n; i++) {
      SocketChannel ch = SocketChannel.open();
      ch.bind(new InetSocketAddress(sources.get(i % sources.size()), 0));
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      ch.socket().setTcpNoDelay(true);
      ch.configureBlocking(false);
      Conn c = new Conn(i, ch);
      c.out = ByteBuffer.wrap(first.apply(i));
      loops.add(i, c);
      progress.tick("connecting", i + 1, n);
    }
  }

  @Override
  public void close() throws InterruptedException {
    loops.close();
  }

  /** One selector thread's work: writes requests, reads responses into one shared buffer. */
  private final class Loop implements SelectorLoops.Handler<Conn> {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(256 * 1024);

    @Override
    public SocketChannel channel(Conn c) {
      return c.channel;
    }

    @Override
    public void registered(Conn c, SelectionKey k) throws IOException {
      send(c, k);
    }

    @Override
    public void ready(Conn c, SelectionKey k) throws IOException {
      if (k.isValid() && k.isWritable()) send(c, k);
      if (k.isValid() && k.isReadable()) read(c, k);
    }

    private void send(Conn c, SelectionKey k) throws IOException {
      if (c.out == null) return;
      if (c.out.position() == 0) c.sentNanos = System.nanoTime();
      c.channel.write(c.out);
      if (c.out.hasRemaining()) {
        k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
      } else {
        c.out = null;
        k.interestOps(SelectionKey.OP_READ);
      }
    }

    private void read(Conn c, SelectionKey k) throws IOException {
      buf.clear();
      int n = Sockets.readOrClose(c.channel, buf, k, closed);
      if (n < 0) return;
      buf.flip();
      if (c.inLen + n > c.in.length)
        c.in = Arrays.copyOf(c.in, Math.max(c.in.length * 2, c.inLen + n));
      buf.get(c.in, c.inLen, n);
      c.inLen += n;
      parse(c, k);
    }

    /** Handles every complete response in the connection's buffer. */
    private void parse(Conn c, SelectionKey k) throws IOException {
      while (true) {
        int headerEnd = indexOf(c.in, c.inLen, "\r\n\r\n");
        if (headerEnd < 0) return;
        int status = (c.in[9] - '0') * 100 + (c.in[10] - '0') * 10 + (c.in[11] - '0');
        int length = contentLength(c.in, headerEnd);
        int total = headerEnd + 4 + length;
        if (c.inLen < total) return;
        byte[] body = Arrays.copyOfRange(c.in, headerEnd + 4, total);
        System.arraycopy(c.in, total, c.in, 0, c.inLen - total);
        c.inLen -= total;
        responses.increment();
        if (status != 200 && status != 202) failures.increment();
        byte[] next = handler.onResponse(c, status, body, body.length, c.sentNanos);
        if (next != null) {
          c.out = ByteBuffer.wrap(next);
          send(c, k);
        }
      }
    }

    private static int contentLength(byte[] b, int end) {
      int p = indexOfIgnoreCase(b, end, "content-length:");
      if (p < 0) return 0;
      int v = 0;
      for (p += 15; p < end && (b[p] == ' ' || (b[p] >= '0' && b[p] <= '9')); p++)
        if (b[p] != ' ') v = v * 10 + (b[p] - '0');
      return v;
    }

    private static int indexOf(byte[] b, int len, String s) {
      outer:
      for (int i = 0; i + s.length() <= len; i++) {
        for (int j = 0; j < s.length(); j++) if (b[i + j] != s.charAt(j)) continue outer;
        return i;
      }
      return -1;
    }

    private static int indexOfIgnoreCase(byte[] b, int len, String lower) {
      outer:
      for (int i = 0; i + lower.length() <= len; i++) {
        for (int j = 0; j < lower.length(); j++)
          if (Character.toLowerCase(b[i + j]) != lower.charAt(j)) continue outer;
        return i;
      }
      return -1;
    }
  }
}
