package io.herald.transport.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The 101 answer to an RFC 6455 upgrade, written as bytes straight onto the channel. Netty's
 * handshaker builds a request copy, a response object and its headers, encodes them through the
 * HTTP encoder and flushes at once; this writes one buffer and leaves the flush to the caller, so
 * the 101 and the service's first message (push-hub's connection_established, Engine.IO's open)
 * leave in one write system call. A handshake is what a reconnect storm repeats 10,000 times.
 */
final class SwitchingProtocols {
  /** RFC 6455 section 1.3: appended to the client's key before hashing. */
  private static final byte[] GUID =
      "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] HEAD =
      ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n"
              + "sec-websocket-accept: ")
          .getBytes(StandardCharsets.US_ASCII);

  private static final byte[] EXTENSIONS =
      "\r\nsec-websocket-extensions: ".getBytes(StandardCharsets.US_ASCII);

  private static final byte[] END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  /** One SHA-1 per event loop thread: a digest is not thread-safe and costs to create. */
  private static final FastThreadLocal<MessageDigest> SHA1 =
      new FastThreadLocal<>() {
        @Override
        protected MessageDigest initialValue() throws NoSuchAlgorithmException {
          return MessageDigest.getInstance("SHA-1");
        }
      };

  private SwitchingProtocols() {}

  /**
   * Whether {@code key} can be a Sec-WebSocket-Key: RFC 6455 asks for 16 random bytes in base64, 24
   * characters. Only its presence matters to the answer, but a header that cannot be one is a
   * client bug worth a clear 400 rather than a hash of garbage.
   */
  static boolean validKey(String key) {
    if (key == null || key.length() != 24) return false;
    try {
      return Base64.getDecoder().decode(key).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The Sec-WebSocket-Accept value for {@code key}. */
  static String accept(String key) {
    MessageDigest sha1 = SHA1.get();
    sha1.reset();
    sha1.update(key.getBytes(StandardCharsets.US_ASCII));
    return Base64.getEncoder().encodeToString(sha1.digest(GUID));
  }

  /** The whole 101 head for {@code key}, with the negotiated extension when not null. */
  static ByteBuf response(ByteBufAllocator alloc, String key, String extensions) {
    String accept = accept(key);
    int size =
        HEAD.length
            + accept.length()
            + (extensions == null ? 0 : EXTENSIONS.length + extensions.length())
            + END.length;
    ByteBuf buf = alloc.buffer(size, size);
    buf.writeBytes(HEAD);
    buf.writeCharSequence(accept, StandardCharsets.US_ASCII);
    if (extensions != null) {
      buf.writeBytes(EXTENSIONS);
      buf.writeCharSequence(extensions, StandardCharsets.US_ASCII);
    }
    buf.writeBytes(END);
    return buf;
  }
}
