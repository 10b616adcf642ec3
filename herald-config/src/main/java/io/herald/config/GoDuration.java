package io.herald.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration} syntax: a sequence of decimal numbers each with a unit (ns us µs
 * ms s m h).
 */
final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

  private GoDuration() {}

  static Duration parse(String text) {
    if (text.equals("0")) return Duration.ZERO;
    Matcher m = PART.matcher(text);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < text.length() && m.find(at) && m.start() == at) {
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
      at = m.end();
    }
    if (at != text.length() || at == 0) {
      throw new IllegalArgumentException("expected a duration such as 500ms, 2s or 1m30s");
    }
    return Duration.ofNanos(nanos.longValue());
  }

  private static long unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1L;
      case "us", "µs" -> 1_000L;
      case "ms" -> 1_000_000L;
      case "s" -> 1_000_000_000L;
      case "m" -> 60_000_000_000L;
      default -> 3_600_000_000_000L;
    };
  }

  /**
   * The shortest Go spelling of {@code d} in one unit ({@code 10s}, {@code 5m}, {@code 24h}, {@code
   * 1500ms}): how defaults are shown.
   */
  static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) return "0s";
    String[] units = {"h", "m", "s", "ms", "us", "ns"};
    long[] sizes = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
    for (int i = 0; i < units.length; i++)
      if (nanos % sizes[i] == 0) return nanos / sizes[i] + units[i];
    return nanos + "ns";
  }
}
