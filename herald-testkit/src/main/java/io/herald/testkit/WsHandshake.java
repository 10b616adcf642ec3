package io.herald.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The client's half of the WebSocket opening handshake (RFC 6455 section 4) as bytes, for the
 * clients that write it on a socket of their own: {@link RawWsClient}, the load generator's
 * non-blocking connections, the fault scripts' floods. The key is fixed: these clients never check
 * the server's accept value, the server's tests do.
 */
public final class WsHandshake {
  /**
   * permessage-deflate as browsers offer it; a server that does not support it ignores the offer.
   */
  public static final String DEFLATE = "permessage-deflate; client_max_window_bits";

  private WsHandshake() {}

  /**
   * An upgrade request for {@code path} on {@code host}, offering {@code extensions} unless it is
   * null.
   */
  public static byte[] request(String path, String host, String extensions) {
    return ("GET "
            + path
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + (extensions == null ? "" : "Sec-WebSocket-Extensions: " + extensions + "\r\n")
            + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The same on 127.0.0.1, without extensions. */
  public static byte[] request(String path) {
    return request(path, "127.0.0.1", null);
  }

  /**
   * The response's status line and headers, up to and including the blank line, read a byte at a
   * time so that not a byte of the first frame is taken; what came before the end of the stream if
   * it ends first.
   */
  public static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || head.lastIndexOf("\r\n\r\n") != head.length() - 4) {
      int b = in.read();
      if (b < 0) break;
      head.append((char) b);
    }
    return head.toString();
  }

  /** Whether {@code head} switches protocols (101). */
  public static boolean upgraded(String head) {
    return head.startsWith("HTTP/1.1 101");
  }

  /**
   * The value of the response's Sec-WebSocket-Extensions header, or null when the server accepted
   * none.
   */
  public static String extensions(String head) {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:"))
        return line.substring(25).trim();
    }
    return null;
  }
}
