package io.herald.bench.load;

import io.herald.testkit.WsHandshake;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * One client WebSocket over a plain NIO channel: a blocking handshake, then non-blocking reads
 * parsed in place. Only what a receiving client needs: unmasked server frames, pings answered with
 * pongs, close noticed. State is confined to the selector thread that owns the connection after the
 * handshake.
 */
final class RawConnection {
  final SocketChannel channel;
  // The last publish counter seen, per publishing connection (RawClients#orderStreams).
  long[] lastI = {-1};

  /** Bytes of an incomplete frame left over from the previous read, or null. */
  byte[] leftover;

  /** Created on the first compressed message: idle connections never pay for one. */
  private Inflater inflater;

  private static final ByteBuffer TAIL =
      ByteBuffer.wrap(new byte[] {0, 0, (byte) 0xff, (byte) 0xff}).asReadOnlyBuffer();

  /** Inflates one permessage-deflate payload into {@code into.inflated}; returns its length. */
  int inflate(ByteBuffer payload, RawClients.Loop into) {
    if (inflater == null) inflater = new Inflater(true);
    inflater.reset(); // server_no_context_takeover is negotiated: each message stands alone
    int n = 0;
    try {
      for (ByteBuffer part : new ByteBuffer[] {payload, TAIL.duplicate()}) {
        inflater.setInput(part);
        while (!inflater.needsInput()) {
          if (n == into.inflated.length) into.inflated = Arrays.copyOf(into.inflated, n * 2);
          int k = inflater.inflate(into.inflated, n, into.inflated.length - n);
          if (k == 0 && inflater.needsInput()) break;
          n += k;
        }
      }
    } catch (DataFormatException e) {
      throw new IllegalStateException("bad permessage-deflate data", e);
    }
    return n;
  }

  private RawConnection(SocketChannel channel) {
    this.channel = channel;
  }

  /**
   * Connects from {@code source} and completes the upgrade; the channel is returned in blocking
   * mode.
   */
  static RawConnection open(String source, int port, String path, boolean deflate)
      throws IOException {
    SocketChannel ch = SocketChannel.open();
    try {
      ch.bind(new InetSocketAddress(source, 0));
      ch.connect(new InetSocketAddress("127.0.0.1", port));
      ch.socket().setTcpNoDelay(true);
      // as browsers do; servers that do not support it ignore the offer
      String offer =
          deflate ? "permessage-deflate; server_no_context_takeover; client_max_window_bits" : null;
      ch.write(ByteBuffer.wrap(WsHandshake.request(path, "127.0.0.1:" + port, offer)));
      // Unbuffered over the blocking channel: the handshake reads the head a byte at a time and
      // leaves the rest.
      String head = WsHandshake.readHead(Channels.newInputStream(ch));
      if (!WsHandshake.upgraded(head))
        throw new IOException(
            "upgrade refused: " + head.lines().findFirst().orElse("(closed during handshake)"));
      return new RawConnection(ch);
    } catch (IOException e) {
      ch.close();
      throw e;
    }
  }

  /** A short masked client text frame (under 126 bytes), with a zero mask as the pong. */
  static ByteBuffer text(String ascii) {
    byte[] payload = ascii.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer b = ByteBuffer.allocate(6 + payload.length);
    b.put((byte) 0x81).put((byte) (0x80 | payload.length)).putInt(0).put(payload).flip();
    return b;
  }

  /**
   * A pong for a ping payload, masked with a zero key (a client must mask; zero leaves the bytes as
   * they are).
   */
  static ByteBuffer pong(byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(6 + payload.length);
    b.put((byte) 0x8A).put((byte) (0x80 | payload.length)).putInt(0).put(payload).flip();
    return b;
  }
}
