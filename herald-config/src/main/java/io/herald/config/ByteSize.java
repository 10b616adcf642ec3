package io.herald.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes such as {@code 512}, {@code 64KiB}, {@code 1MiB}; KB/MB/GB are read as powers of 1024 too.
 */
final class ByteSize {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg]i?b?|b)?");

  private ByteSize() {}

  static long parse(String text) {
    Matcher m = SIZE.matcher(text.toLowerCase(Locale.ROOT));
    if (!m.matches())
      throw new IllegalArgumentException("expected a size such as 512, 64KiB or 1MiB");
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2);
    return switch (unit.charAt(0)) {
      case 'k' -> n << 10;
      case 'm' -> n << 20;
      case 'g' -> n << 30;
      default -> n;
    };
  }

  /**
   * {@code bytes} in the largest unit that divides it ({@code 64KiB}, {@code 1MiB}, {@code 1000}):
   * how defaults are shown.
   */
  static String format(long bytes) {
    if (bytes != 0 && bytes % (1L << 30) == 0) return (bytes >> 30) + "GiB";
    if (bytes != 0 && bytes % (1L << 20) == 0) return (bytes >> 20) + "MiB";
    if (bytes != 0 && bytes % (1L << 10) == 0) return (bytes >> 10) + "KiB";
    return Long.toString(bytes);
  }
}
