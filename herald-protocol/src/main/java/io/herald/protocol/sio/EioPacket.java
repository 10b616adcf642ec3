package io.herald.protocol.sio;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * One Engine.IO v4 packet: a type digit, then data. A binary message travels as a WebSocket binary
 * frame, or on polling as {@code b} plus its base64 ({@link Binary}); it carries no type digit, it
 * is always a message.
 */
public sealed interface EioPacket {
  /** The record separator between packets in one polling body (v4; v3 used length prefixes). */
  char SEPARATOR = '\u001e';

  record Open(String json) implements EioPacket {}

  record Close() implements EioPacket {}

  record Ping(String data) implements EioPacket {}

  record Pong(String data) implements EioPacket {}

  record Message(String data) implements EioPacket {}

  record Upgrade() implements EioPacket {}

  record Noop() implements EioPacket {}

  /**
   * A binary message; only a polling body spells it as text ({@code b} + base64). The array is not
   * copied.
   */
  record Binary(byte[] data) implements EioPacket {
    @Override
    public boolean equals(Object o) {
      return o instanceof Binary b && Arrays.equals(data, b.data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Binary[" + data.length + " bytes]";
    }
  }

  static EioPacket decode(String text) throws ProtocolException {
    if (text.isEmpty())
      throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "empty Engine.IO packet");
    String data = text.substring(1);
    return switch (text.charAt(0)) {
      case '0' -> new Open(data);
      case '1' -> new Close();
      case '2' -> new Ping(data);
      case '3' -> new Pong(data);
      case '4' -> new Message(data);
      case '5' -> new Upgrade();
      case '6' -> new Noop();
      case 'b' -> new Binary(base64(data));
      default ->
          throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "unknown Engine.IO packet type");
    };
  }

  static String encode(EioPacket p) {
    return switch (p) {
      case Open(String json) -> "0" + json;
      case Close() -> "1";
      case Ping(String data) -> "2" + data;
      case Pong(String data) -> "3" + data;
      case Message(String data) -> "4" + data;
      case Upgrade() -> "5";
      case Noop() -> "6";
      case Binary(byte[] data) -> "b" + Base64.getEncoder().encodeToString(data);
    };
  }

  private static byte[] base64(String data) throws ProtocolException {
    try {
      return Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw new ProtocolException(
          ErrorCode.INVALID_MESSAGE, "a binary Engine.IO packet is not valid base64");
    }
  }

  /** The packets of one polling POST body, binary ones ({@code b} + base64) included. */
  static List<EioPacket> decodePayload(String body) throws ProtocolException {
    List<EioPacket> packets = new ArrayList<>();
    int start = 0;
    while (true) {
      int end = body.indexOf(SEPARATOR, start);
      String part = body.substring(start, end < 0 ? body.length() : end);
      packets.add(decode(part));
      if (end < 0) return packets;
      start = end + 1;
    }
  }

  /** Encoded packets (UTF-8) joined into one polling GET body. */
  static byte[] encodePayload(List<byte[]> encodedPackets) {
    int size = Math.max(0, encodedPackets.size() - 1);
    for (byte[] p : encodedPackets) size += p.length;
    ByteBuffer b = ByteBuffer.allocate(size);
    for (int i = 0; i < encodedPackets.size(); i++) {
      if (i > 0) b.put((byte) SEPARATOR);
      b.put(encodedPackets.get(i));
    }
    return b.array();
  }
}
