package io.herald.protocol.envelope;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@link Instant#toString()}'s text (ISO-8601 in UTC, the fraction in groups of three digits, none
 * when zero) without going through {@code DateTimeFormatter} for each message: every connection is
 * greeted with a stamped message, and formatting the stamp was 3% of a WebSocket handshake's CPU.
 * The date and time of day are kept per second; only the fraction is written per call.
 */
final class Stamp {
  /**
   * 10000-01-01T00:00:00Z: from there on the JDK writes a sign and five digits; before 1970 is not
   * cached either.
   */
  private static final long LAST_FOUR_DIGIT_YEAR = 253_402_300_800L;

  private record Second(long epochSecond, String text) {}

  private static volatile Second last = new Second(Long.MIN_VALUE, "");

  private Stamp() {}

  static String of(Instant t) {
    long s = t.getEpochSecond();
    if (s < 0 || s >= LAST_FOUR_DIGIT_YEAR) return t.toString();
    Second cached = last;
    if (cached.epochSecond() != s) {
      String whole = t.truncatedTo(ChronoUnit.SECONDS).toString();
      cached = new Second(s, whole.substring(0, whole.length() - 1));
      last = cached;
    }
    int nanos = t.getNano();
    if (nanos == 0) return cached.text() + "Z";
    StringBuilder b =
        new StringBuilder(cached.text().length() + 11).append(cached.text()).append('.');
    if (nanos % 1_000_000 == 0) digits(b, nanos / 1_000_000, 3);
    else if (nanos % 1_000 == 0) digits(b, nanos / 1_000, 6);
    else digits(b, nanos, 9);
    return b.append('Z').toString();
  }

  private static void digits(StringBuilder b, int value, int width) {
    String v = Integer.toString(value);
    for (int i = v.length(); i < width; i++) b.append('0');
    b.append(v);
  }
}
