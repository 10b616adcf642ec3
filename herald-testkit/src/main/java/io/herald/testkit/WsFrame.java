package io.herald.testkit;

import java.nio.charset.StandardCharsets;

/**
 * One WebSocket frame as it came off the wire.
 *
 * @param compressed the RSV1 bit: the payload is permessage-deflate data (RFC 7692)
 */
public record WsFrame(boolean fin, boolean compressed, int opcode, byte[] payload) {
  public static final int TEXT = 0x1;
  public static final int CLOSE = 0x8;
  public static final int PONG = 0xA;

  /** The payload as UTF-8 text, inflated first when it is compressed. */
  public String text() {
    return new String(compressed ? Deflate.inflate(payload) : payload, StandardCharsets.UTF_8);
  }

  /** The status code of a close frame, or -1 when it has none. */
  public int closeCode() {
    return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
  }
}
