package io.herald.transport.ws;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * permessage-deflate (RFC 7692) for one whole message, with no context taken over from earlier
 * messages: raw DEFLATE, flushed, without the final empty block's {@code 00 00 ff ff}. A message
 * compressed this way can be decoded by every client that negotiated the extension, with or without
 * {@code server_no_context_takeover}, which is what lets one compressed copy serve every
 * connection.
 */
final class Deflate {
  private static final ThreadLocal<Deflater> DEFLATER =
      ThreadLocal.withInitial(() -> new Deflater(6, true));

  private Deflate() {}

  static byte[] compress(byte[] in) {
    Deflater d = DEFLATER.get();
    d.reset();
    d.setInput(in);
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, in.length / 4));
    byte[] chunk = new byte[16 * 1024];
    int n;
    do {
      n = d.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
      out.write(chunk, 0, n);
    } while (n == chunk.length);
    byte[] all = out.toByteArray();
    // SYNC_FLUSH ends with an empty stored block 00 00 ff ff; the extension leaves it out on the
    // wire.
    return Arrays.copyOf(all, all.length - 4);
  }
}
