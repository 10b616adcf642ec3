package io.herald.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection POSTing stats_update events to the private push-hub, a request
 * at a time. A plain socket rather than the JDK's HttpClient: that client's own start-up (class
 * loading, its selector thread) took a large part of a short warm-up, and its work is not what the
 * warm-up is for.
 */
final class WarmupPublisher implements AutoCloseable {
  private final SocketChannel socket;
  private final String head;
  private final ByteBuffer in = ByteBuffer.allocate(4096);

  WarmupPublisher(int port) throws IOException {
    this.socket = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    this.head =
        "POST /api/v1/broadcast HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nContent-Type: application/json\r\nContent-Length: ";
  }

  /** Publishes event {@code i}; returns the response's status code. */
  int publish(long i) throws IOException {
    String body =
        "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"t\":"
            + System.nanoTime()
            + ",\"i\":"
            + i
            + ",\"pad\":\"warming up the fan-out path of a fresh JVM\"}}}";
    ByteBuffer out =
        ByteBuffer.wrap(
            (head + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
    while (out.hasRemaining()) socket.write(out);
    return readResponse();
  }

  /**
   * Reads one whole response (head and a Content-Length body); the server answers each request in
   * order.
   */
  private int readResponse() throws IOException {
    in.clear();
    int headEnd;
    while ((headEnd = indexOf(in, "\r\n\r\n")) < 0) read();
    String headText = new String(in.array(), 0, headEnd, StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : headText.split("\r\n")) {
      if (line.regionMatches(true, 0, "content-length:", 0, 15))
        length = Integer.parseInt(line.substring(15).trim());
    }
    while (in.position() < headEnd + 4 + length) read();
    if (in.position() != headEnd + 4 + length)
      throw new IOException("unexpected bytes after a response");
    return Integer.parseInt(headText.substring(9, 12));
  }

  private void read() throws IOException {
    if (!in.hasRemaining())
      throw new IOException("response larger than " + in.capacity() + " bytes");
    if (socket.read(in) < 0)
      throw new IOException("the private push-hub closed a publisher's connection");
  }

  private static int indexOf(ByteBuffer b, String s) {
    byte[] a = b.array();
    outer:
    for (int i = 0; i + s.length() <= b.position(); i++) {
      for (int j = 0; j < s.length(); j++) if (a[i + j] != s.charAt(j)) continue outer;
      return i;
    }
    return -1;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
