package io.herald.service.pushhub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testkit.Http;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate, encode-once: a large event goes compressed (RSV1) to clients that negotiated the extension,
 * as the same bytes for all of them, and uncompressed to the others; small messages are never compressed.
 */
class PushHubDeflateTest {
  /** A WebSocket client on a plain socket, so the test sees the frames' RSV1 bit and raw payload. */
  record Frame(boolean compressed, byte[] payload) {
    String text() throws Exception {
      if (!compressed) return new String(payload, StandardCharsets.UTF_8);
      Inflater inf = new Inflater(true);
      byte[] in = java.util.Arrays.copyOf(payload, payload.length + 4);
      in[payload.length + 2] = (byte) 0xff;
      in[payload.length + 3] = (byte) 0xff;
      inf.setInput(in);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = inf.inflate(buf)) > 0; ) out.write(buf, 0, n);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  static final class Client implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final String extensions;

    Client(int port, boolean offerDeflate) throws IOException {
      socket = new Socket("127.0.0.1", port);
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          + "Sec-WebSocket-Key: aGVyYWxkLWRlZmxhdGU=\r\nSec-WebSocket-Version: 13\r\n"
          + (offerDeflate ? "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
      in = new DataInputStream(socket.getInputStream());
      StringBuilder head = new StringBuilder();
      while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
      String ext = null;
      for (String line : head.toString().split("\r\n")) if (line.toLowerCase().startsWith("sec-websocket-extensions:")) ext = line.substring(25).trim();
      extensions = ext;
    }

    Frame next() throws IOException {
      int b0 = in.readUnsignedByte(), b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) len = in.readUnsignedShort();
      else if (len == 127) len = in.readLong();
      byte[] p = new byte[(int) len];
      in.readFully(p);
      return new Frame((b0 & 0x40) != 0, p);
    }

    /** Sends {@code text} as one masked text frame compressed for permessage-deflate (RSV1 set). */
    void sendCompressed(String text) throws IOException {
      Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
      d.setInput(text.getBytes(StandardCharsets.UTF_8));
      byte[] buf = new byte[4096];
      int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH) - 4;  // without the 00 00 ff ff tail (RFC 7692)
      d.end();
      ByteArrayOutputStream f = new ByteArrayOutputStream();
      f.write(0x80 | 0x40 | 0x1);
      f.write(0x80 | n);  // the test's messages compress to under 126 bytes
      byte[] mask = {7, 1, 3, 9};
      f.write(mask);
      for (int i = 0; i < n; i++) f.write(buf[i] ^ mask[i & 3]);
      socket.getOutputStream().write(f.toByteArray());
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  static Frame nextOfType(Client c, String type) throws Exception {
    for (int i = 0; i < 10; i++) {
      Frame f = c.next();
      if (f.text().contains("\"type\":\"" + type + "\"")) return f;
    }
    throw new AssertionError("no " + type);
  }

  @Test
  void largeEventsGoCompressedOnceToDeflateClientsAndPlainToOthers() throws Exception {
    try (TestServer server = new TestServer(PushHubConfig.DEFAULT);
        Client deflate1 = new Client(server.port, true); Client deflate2 = new Client(server.port, true);
        Client plain = new Client(server.port, false)) {
      assertThat(deflate1.extensions).startsWith("permessage-deflate");
      assertThat(plain.extensions).isNull();
      Frame hello = nextOfType(deflate1, "connection_established");
      assertThat(hello.compressed()).isFalse();  // small: never compressed
      nextOfType(deflate2, "connection_established");
      nextOfType(plain, "connection_established");
      String big = "report ".repeat(400);  // over the 1 KiB threshold, under the test server's 4 KiB body limit
      assertThat(Http.post(server.port, "/api/v1/broadcast", Http.alert(big)).statusCode()).isEqualTo(202);
      Frame a = nextOfType(deflate1, "system_alert"), b = nextOfType(deflate2, "system_alert"), p = nextOfType(plain, "system_alert");
      assertThat(a.compressed()).isTrue();
      assertThat(a.payload().length).isLessThan(p.payload().length / 10);
      assertThat(a.payload()).isEqualTo(b.payload());  // the same compressed bytes for everyone
      assertThat(p.compressed()).isFalse();
      assertThat(a.text()).isEqualTo(p.text()).contains(big);
      // Each event is compressed on its own: a per-connection compressor keeping its window would shrink a repeat
      // of the same text to a few bytes by pointing back at the first.
      assertThat(Http.post(server.port, "/api/v1/broadcast", Http.alert(big)).statusCode()).isEqualTo(202);
      Frame again = nextOfType(deflate1, "system_alert");
      assertThat(again.compressed()).isTrue();
      assertThat(again.payload().length).isGreaterThan(a.payload().length / 2);
      assertThat(again.text()).contains(big);
    }
  }

  @Test
  void compressedClientMessagesAreInflatedAndAnswered() throws Exception {
    try (TestServer server = new TestServer(PushHubConfig.DEFAULT); Client c = new Client(server.port, true)) {
      assertThat(c.extensions).startsWith("permessage-deflate");
      nextOfType(c, "connection_established");
      c.sendCompressed("{\"type\":\"ping\"}");
      assertThat(nextOfType(c, "pong").text()).contains("\"timestamp\"");
      c.sendCompressed("{\"type\":\"nope\"}");
      assertThat(nextOfType(c, "error").text()).contains("unknown");
    }
  }
}
