package io.herald.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * A deliberately minimal WebSocket client over a plain socket. It never answers pings, so it stands
 * for a client whose network died silently (which the Vert.x client, answering pings itself, cannot
 * play); it sends frames exactly as the caller builds them (fragments, bad UTF-8, pings with a
 * payload, compressed messages) and shows frames as they came off the wire (the RSV1 bit, the close
 * code). One thread uses it at a time.
 */
public final class RawWsClient implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private String head;

  /**
   * Connects to {@code path} and completes the upgrade; an {@link IOException} if the server
   * refuses it.
   */
  public RawWsClient(int port, String path) throws IOException {
    this(port, path, null);
  }

  private RawWsClient(int port, String path, String extensions) throws IOException {
    this(new Socket("127.0.0.1", port), path, extensions);
    readHead();
  }

  private RawWsClient(Socket socket, String path, String extensions) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(WsHandshake.request(path, "127.0.0.1", extensions));
    out.flush();
    in = new DataInputStream(socket.getInputStream());
  }

  /**
   * Connects offering {@code extensions} (for example {@link WsHandshake#DEFLATE}); see {@link
   * #extensions()}.
   */
  public static RawWsClient offering(int port, String path, String extensions) throws IOException {
    return new RawWsClient(port, path, extensions);
  }

  /**
   * Sends the upgrade request and returns without reading the answer: a client that stops reading.
   * Its receive buffer is {@code receiveBuffer} bytes, so the server's writes back up soon; the
   * first read takes the answer.
   */
  public static RawWsClient unread(int port, String path, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    s.setReceiveBufferSize(receiveBuffer);
    s.connect(new InetSocketAddress("127.0.0.1", port));
    return new RawWsClient(s, path, null);
  }

  private void readHead() throws IOException {
    if (head != null) return;
    head = WsHandshake.readHead(in);
    if (!WsHandshake.upgraded(head)) {
      socket.close();
      throw new IOException("upgrade refused: " + head.lines().findFirst().orElse("(no answer)"));
    }
  }

  /** The extensions the server accepted (its Sec-WebSocket-Extensions), or null. */
  public String extensions() throws IOException {
    readHead();
    return WsHandshake.extensions(head);
  }

  /**
   * How long a read waits before it throws {@link java.net.SocketTimeoutException}; 20 s unless
   * set.
   */
  public void readTimeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  /** The next frame from the server; {@link java.io.EOFException} if the connection ends first. */
  public WsFrame next() throws IOException {
    readHead();
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) len = in.readUnsignedShort();
    else if (len == 127) len = in.readLong();
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new WsFrame((b0 & 0x80) != 0, (b0 & 0x40) != 0, b0 & 0x0f, payload);
  }

  /** The next frame that is not a text message (the welcome and other messages are skipped). */
  public WsFrame nextControl() throws IOException {
    while (true) {
      WsFrame f = next();
      if (f.opcode() != WsFrame.TEXT) return f;
    }
  }

  /**
   * The first text message among the next ten frames whose {@code type} is {@code type} (push-hub's
   * envelope).
   */
  public WsFrame nextOfType(String type) throws IOException {
    for (int i = 0; i < 10; i++) {
      WsFrame f = next();
      if (f.opcode() == WsFrame.TEXT && f.text().contains("\"type\":\"" + type + "\"")) return f;
    }
    throw new AssertionError("no " + type + " message within ten frames");
  }

  /**
   * Reads frames (skipping messages and pings) until a close frame; returns its status code, -1 if
   * it has none.
   */
  public int awaitCloseCode() throws IOException {
    while (true) {
      WsFrame f = next();
      if (f.opcode() == WsFrame.CLOSE) return f.closeCode();
    }
  }

  /** Whether the server closed the TCP connection (end of stream) within the read timeout. */
  public boolean awaitEndOfStream() throws IOException {
    return in.read() == -1;
  }

  /** Reads and drops everything until the server ends the connection (a reset ends it too). */
  public void readToEnd() throws IOException {
    try {
      while (in.read() >= 0) {
        // frames sent before the server saw this client's end: read past them
      }
    } catch (SocketException reset) {
      // the server reset it: ended as well
    }
  }

  /** Half-closes: a FIN to the server, reading stays open. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /**
   * Sends one masked frame, as a client must (opcode 1 text, 0 continuation, 2 binary, 8 close, 9
   * ping).
   */
  public void send(boolean fin, int opcode, byte[] payload) throws IOException {
    write((fin ? 0x80 : 0) | opcode, payload);
  }

  /**
   * Sends {@code text} as one text message compressed for permessage-deflate (RSV1 set); negotiate
   * it first.
   */
  public void sendCompressed(String text) throws IOException {
    write(0x80 | 0x40 | WsFrame.TEXT, Deflate.compress(text.getBytes(StandardCharsets.UTF_8)));
  }

  private void write(int first, byte[] payload) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(first);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8)
        f.write((int) ((long) payload.length >> shift) & 0xff);
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
