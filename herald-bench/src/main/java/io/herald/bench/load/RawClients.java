package io.herald.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32C;

/**
 * Many receiving WebSocket clients on a few selector threads. A general-purpose client stack spends
 * more CPU per message than the servers being measured, which on a shared 2-core machine would make
 * the load generator the bottleneck; this one reads into one shared buffer per thread, parses frame
 * headers in place and scans each text frame for two numbers, with no allocation per message.
 */
public final class RawClients implements AutoCloseable {
  private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ID = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);

  /** {@code ,"timestamp":"2024-01-01T00:00:00Z",} follows every seq: 36 bytes. */
  private static final int SKIP_AFTER_SEQ = 30;

  /**
   * {@code ","team":0,"latitude":0.0,"longitude":0.0,"x":null,"y":null,"action_id":null}} at the
   * least: 77.
   */
  private static final int SKIP_AFTER_ID = 60;

  public final Histogram latency = new Histogram();
  public final LongAdder received = new LongAdder();
  public final LongAdder reordered = new LongAdder();
  // Publishing connections whose order is checked apart: a message's stream is its counter modulo
  // this.
  private volatile int streams = 1;
  public final AtomicInteger closed = new AtomicInteger();
  private final AtomicInteger opened = new AtomicInteger();
  private final SelectorLoops<RawConnection> loops;
  private final List<String> sources;

  private final boolean deflate;

  /**
   * Speak Engine.IO over the WebSocket: join the default namespace after the open packet, answer
   * pings.
   */
  private final boolean engineIo;

  /**
   * @param deflate offer permessage-deflate, as browsers do. Off by default: inflating every
   *     client's copy of every message costs the load generator more CPU than the server saves,
   *     which would measure the load generator.
   */
  public RawClients(int threads, int sourceAddresses, boolean deflate) throws IOException {
    this(threads, sourceAddresses, deflate, false);
  }

  /**
   * @param engineIo Socket.IO clients: "40" after the open packet, "3" to each "2"
   */
  public RawClients(int threads, int sourceAddresses, boolean deflate, boolean engineIo)
      throws IOException {
    this.deflate = deflate;
    this.engineIo = engineIo;
    this.sources = SelectorLoops.sources(sourceAddresses);
    this.loops = new SelectorLoops<>(threads, "bench-recv", Loop::new);
  }

  /** Opens {@code n} connections to {@code /ws}. */
  public int connect(int port, int n, Progress progress) throws InterruptedException {
    return connect(port, "/ws", n, progress);
  }

  /**
   * Opens {@code n} connections (handshakes from two threads), with a progress line each second.
   */
  public int connect(int port, String path, int n, Progress progress) throws InterruptedException {
    AtomicInteger next = new AtomicInteger(), failed = new AtomicInteger();
    Runnable worker =
        () -> {
          for (int i; (i = next.getAndIncrement()) < n; ) {
            try {
              RawConnection c =
                  RawConnection.open(sources.get(i % sources.size()), port, path, deflate);
              c.channel.configureBlocking(false);
              loops.add(i, c);
              opened.incrementAndGet();
            } catch (IOException e) {
              failed.incrementAndGet();
            }
          }
        };
    Thread a = Thread.ofPlatform().start(worker), b = Thread.ofPlatform().start(worker);
    while (a.isAlive() || b.isAlive()) {
      progress.tick("connecting", Math.min(n, next.get()), n);
      a.join(200);
    }
    b.join();
    progress.tick("connecting", n, n);
    return n - failed.get();
  }

  public int open() {
    return opened.get() - closed.get();
  }

  /**
   * Stops the selector threads and waits until each has closed its sockets (see {@link
   * SelectorLoops#close}).
   */
  @Override
  public void close() throws InterruptedException {
    loops.close();
  }

  /**
   * One selector thread's work on the connections registered on it, with buffers shared by all of
   * them.
   */
  final class Loop implements SelectorLoops.Handler<RawConnection> {
    private final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
    private byte[] frame = new byte[1 << 18];

    @Override
    public SocketChannel channel(RawConnection c) {
      return c.channel;
    }

    @Override
    public void ready(RawConnection c, SelectionKey k) throws IOException {
      read(c, k);
    }

    private void read(RawConnection c, SelectionKey k) throws IOException {
      buf.clear();
      if (c.leftover != null) {
        buf.put(c.leftover);
        c.leftover = null;
      }
      int n = Sockets.readOrClose(c.channel, buf, k, closed);
      if (n < 0) return;
      buf.flip();
      parse(c, k);
    }

    /** Consumes every complete frame in {@link #buf}; keeps a partial one for the next read. */
    private void parse(RawConnection c, SelectionKey k) throws IOException {
      while (buf.remaining() >= 2) {
        int start = buf.position();
        int b0 = buf.get(start) & 0xff, b1 = buf.get(start + 1) & 0x7f;
        int header = 2;
        long len = b1;
        if (b1 == 126) {
          if (buf.remaining() < 4) break;
          len = buf.getShort(start + 2) & 0xffff;
          header = 4;
        } else if (b1 == 127) {
          if (buf.remaining() < 10) break;
          len = buf.getLong(start + 2);
          header = 10;
        }
        if (buf.remaining() < header + len) break;
        int from = start + header, to = (int) (from + len);
        switch (b0 & 0x0f) {
          case 0x1 -> {
            if ((b0 & 0x40) != 0) compressed(c, from, to); // RSV1: permessage-deflate
            else text(c, from, to);
          }
          case 0x9 -> {
            byte[] p = new byte[to - from];
            buf.get(from, p);
            c.channel.write(RawConnection.pong(p));
          }
          case 0x8 -> {
            k.cancel();
            c.channel.close();
            closed.incrementAndGet();
            return;
          }
          default -> {}
        }
        buf.position(to);
      }
      if (buf.hasRemaining()) {
        c.leftover = new byte[buf.remaining()];
        buf.get(c.leftover);
      }
    }

    private void text(RawConnection c, int from, int to) throws IOException {
      if (engineIo && to - from >= 1) {
        byte type = buf.get(from);
        if (type == '0') { // open: join the default namespace
          c.channel.write(RawConnection.text("40"));
          return;
        }
        if (type == '2' && to - from == 1) { // ping: the server checks that clients answer
          c.channel.write(RawConnection.text("3"));
          return;
        }
      }
      if (isReports(from, to)) {
        reports(c, from, to);
        return;
      }
      long i = number(from, to, 'i');
      if (i < 0) return; // connection_established and the like
      count(c, i, number(from, to, 't'), System.nanoTime());
    }

    /**
     * One message received: its latency from {@code stampNanos}, and whether it came after a later
     * one.
     */
    private void count(RawConnection c, long seq, long stampNanos, long now) {
      latency.record((now - stampNanos) / 1000);
      received.increment();
      long[] last = c.lastI;
      if (last.length != streams) {
        last = new long[streams];
        Arrays.fill(last, -1);
        c.lastI = last;
      }
      int k = (int) (seq % streams);
      if (seq < last[k]) reordered.increment();
      last[k] = seq;
    }

    /** A report-listener batch: {@code {"type":"reports",...}}. */
    private boolean isReports(int from, int to) {
      return to - from > 16
          && buf.get(from + 9) == 'r'
          && buf.get(from + 10) == 'e'
          && buf.get(from + 11) == 'p';
    }

    /**
     * Every report in a batch counts as one delivery. The bench inserts each report with its {@code
     * id} set to {@link System#nanoTime()} at insert, so the latency is insert to receipt. A batch
     * is ~100 KB, delivered to a thousand clients a second, so the scan must be cheap: it works on
     * a heap copy of the frame and jumps over the fields whose minimum length is known (the
     * timestamp after {@code seq}, the five fields after {@code id}).
     */
    private void reports(RawConnection c, int from, int to) {
      int len = to - from;
      if (frame.length < len) frame = new byte[Math.max(len, 2 * frame.length)];
      buf.get(from, frame, 0, len);
      reportsIn(c, frame, len);
    }

    /**
     * A compressed message: inflated (with the connection's own inflater, as RFC 7692 asks), then
     * read.
     */
    private void compressed(RawConnection c, int from, int to) {
      int len = to - from;
      if (frame.length < len) frame = new byte[Math.max(len, 2 * frame.length)];
      buf.get(from, frame, 0, len);
      // The server compresses each batch once, without context takeover (negotiated), so every
      // client gets the
      // same bytes: a payload already inflated on this thread is recognised by its bytes and not
      // inflated again.
      crc.reset();
      crc.update(frame, 0, len);
      Batch known = batches.get(crc.getValue());
      if (known != null && Arrays.equals(known.payload, 0, known.payload.length, frame, 0, len)) {
        deliver(c, known.seqs, known.stamps, known.seqs.length);
        return;
      }
      int n = c.inflate(ByteBuffer.wrap(frame, 0, len), this);
      byte[] f = inflated;
      if (n > 16 && f[9] == 'r' && f[10] == 'e' && f[11] == 'p') {
        Batch b = parse(Arrays.copyOf(frame, len), f, n);
        if (batches.size() > 64) batches.clear();
        batches.put(crc.getValue(), b);
        deliver(c, b.seqs, b.stamps, b.seqs.length);
        return;
      }
      long i = numberIn(f, n, 'i');
      if (i < 0) return;
      count(c, i, numberIn(f, n, 't'), System.nanoTime());
    }

    /** A report batch as received compressed: its bytes, and each report's seq and insert time. */
    private record Batch(byte[] payload, long[] seqs, long[] stamps) {}

    private final Map<Long, Batch> batches = new HashMap<>();
    private final CRC32C crc = new CRC32C();

    private Batch parse(byte[] payload, byte[] f, int len) {
      int n = scan(f, len);
      return new Batch(payload, Arrays.copyOf(seqBuf, n), Arrays.copyOf(stampBuf, n));
    }

    private long[] seqBuf = new long[1024], stampBuf = new long[1024];

    /**
     * Each report's seq and insert stamp in a batch, into {@link #seqBuf} and {@link #stampBuf};
     * returns how many.
     */
    private int scan(byte[] f, int len) {
      int n = 0;
      for (int p = 0; (p = after(f, p, len, SEQ)) >= 0; ) {
        long seq = 0;
        for (byte ch; p < len && (ch = f[p]) >= '0' && ch <= '9'; p++) seq = seq * 10 + (ch - '0');
        p = after(f, p + SKIP_AFTER_SEQ, len, ID);
        if (p < 0) break;
        long t = 0;
        for (byte ch; p < len && (ch = f[p]) >= '0' && ch <= '9'; p++) t = t * 10 + (ch - '0');
        if (n == seqBuf.length) {
          seqBuf = Arrays.copyOf(seqBuf, 2 * n);
          stampBuf = Arrays.copyOf(stampBuf, 2 * n);
        }
        seqBuf[n] = seq;
        stampBuf[n++] = t;
        p += SKIP_AFTER_ID;
      }
      return n;
    }

    private void deliver(RawConnection c, long[] seqs, long[] stamps, int n) {
      long now = System.nanoTime();
      for (int i = 0; i < n; i++) count(c, seqs[i], stamps[i], now);
    }

    /** Room for an inflated message; grown as needed. */
    byte[] inflated = new byte[1 << 18];

    private static long numberIn(byte[] f, int len, char key) {
      for (int p = 0; p + 4 < len; p++) {
        if (f[p] == '"' && f[p + 1] == key && f[p + 2] == '"' && f[p + 3] == ':') {
          long v = 0;
          int q = p + 4;
          for (byte ch; q < len && (ch = f[q]) >= '0' && ch <= '9'; q++) v = v * 10 + (ch - '0');
          return q > p + 4 ? v : -1;
        }
      }
      return -1;
    }

    private void reportsIn(RawConnection c, byte[] f, int len) {
      int n = scan(f, len); // first: it may grow the buffers
      deliver(c, seqBuf, stampBuf, n);
    }

    /** The index just past the first {@code pattern} in f[from, to), or -1. */
    private static int after(byte[] f, int from, int to, byte[] pattern) {
      byte first = pattern[0];
      outer:
      for (int p = from; p + pattern.length <= to; p++) {
        if (f[p] != first) continue;
        for (int j = 1; j < pattern.length; j++) if (f[p + j] != pattern[j]) continue outer;
        return p + pattern.length;
      }
      return -1;
    }

    /** The number after {@code "key":} within [from, to), or -1. */
    private long number(int from, int to, char key) {
      for (int p = from; p + 4 < to; p++) {
        if (buf.get(p) == '"'
            && buf.get(p + 1) == key
            && buf.get(p + 2) == '"'
            && buf.get(p + 3) == ':') {
          long v = 0;
          int q = p + 4;
          boolean any = false;
          for (byte ch; q < to && (ch = buf.get(q)) >= '0' && ch <= '9'; q++) {
            v = v * 10 + (ch - '0');
            any = true;
          }
          return any ? v : -1;
        }
      }
      return -1;
    }
  }

  /**
   * The publisher posts on {@code n} connections, the i-th message on connection i mod n: order is
   * only promised within one, so each is checked apart.
   */
  public void orderStreams(int n) {
    streams = n;
  }
}
