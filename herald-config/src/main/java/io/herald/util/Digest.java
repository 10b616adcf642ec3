package io.herald.util;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Digests as lower-case hex: names derived from content (a Redis script's SHA-1, a channel's
 * folder).
 */
public final class Digest {
  private Digest() {}

  /**
   * @param algorithm one every JDK has: "SHA-1", "SHA-256"
   */
  public static String hex(String algorithm, String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalArgumentException("no " + algorithm + " digest in this JDK", e);
    }
  }
}
