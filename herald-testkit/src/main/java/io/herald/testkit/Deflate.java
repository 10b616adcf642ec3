package io.herald.testkit;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One permessage-deflate message each way (RFC 7692 section 7.2), without a context kept between
 * messages.
 */
final class Deflate {
  private Deflate() {}

  /** Raw deflate with a sync flush, without the 00 00 ff ff tail the RFC says to drop. */
  static byte[] compress(byte[] data) {
    Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      d.setInput(data);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      int n;
      do {
        n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        out.write(buf, 0, n);
      } while (n == buf.length);
      byte[] all = out.toByteArray();
      return Arrays.copyOf(all, all.length - 4);
    } finally {
      d.end();
    }
  }

  /** The message with the tail put back, inflated. */
  static byte[] inflate(byte[] payload) {
    Inflater inf = new Inflater(true);
    try {
      byte[] in = Arrays.copyOf(payload, payload.length + 4);
      in[payload.length + 2] = (byte) 0xff;
      in[payload.length + 3] = (byte) 0xff;
      inf.setInput(in);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      for (int n; (n = inf.inflate(buf)) > 0; ) out.write(buf, 0, n);
      return out.toByteArray();
    } catch (DataFormatException e) {
      throw new IllegalStateException("bad permessage-deflate data", e);
    } finally {
      inf.end();
    }
  }
}
