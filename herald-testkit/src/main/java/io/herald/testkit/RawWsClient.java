package io.herald.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately minimal WebSocket client over a plain socket that never answers pings: it stands for a client
 * whose network died silently, which the Vert.x client (it answers pings itself) cannot play, and sends frames
 * exactly as a test builds them (fragments, bad UTF-8, pings with a payload).
 */
public final class RawWsClient implements AutoCloseable {
  /** One frame as it came off the wire. */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    public String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    /** The status code of a close frame, or -1 when it has none. */
    public int closeCode() {
      return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
    }
  }

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
      Frame f = next();
      if (f.opcode() == 0x8) return f.closeCode();
    }
  }

  /** The next frame from the server. */
  public Frame next() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) len = in.readUnsignedShort();
    else if (len == 127) len = in.readLong();
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
  }

  /** The next frame that is not a text message (the welcome and other messages are skipped). */
  public Frame nextControl() throws IOException {
    while (true) {
      Frame f = next();
      if (f.opcode() != 0x1) return f;
    }
  }

  /** Whether the server closed the TCP connection (end of stream) within the socket's read timeout. */
  public boolean awaitEndOfStream() throws IOException {
    return in.read() == -1;
  }

  /** Sends one masked frame, as a client must (opcode 1 text, 0 continuation, 2 binary, 8 close, 9 ping). */
  public void send(boolean fin, int opcode, byte[] payload) throws IOException {
    java.io.ByteArrayOutputStream f = new java.io.ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) f.write((int) ((long) payload.length >> shift) & 0xff);
    }
    byte[] mask = {0x12, 0x34, 0x56, 0x78};
    f.write(mask);
    for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i & 3]);
    OutputStream out = socket.getOutputStream();
    out.write(f.toByteArray());
    out.flush();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
