package io.herald.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately minimal WebSocket client over a plain socket that never answers pings: it stands for a client
 * whose network died silently, which the Vert.x client (it answers pings itself) cannot play.
 */
public final class RawWsClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;

  public RawWsClient(int port, String path) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
    if (!head.toString().startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + head);
  }

  /** Reads frames (skipping text and pings) until a close frame; returns its status code. */
  public int awaitCloseCode() throws IOException {
    while (true) {
      int b0 = in.readUnsignedByte();
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) len = in.readUnsignedShort();
      else if (len == 127) len = in.readLong();
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      if ((b0 & 0x0f) == 0x8) return ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
