package io.herald.store.nats;

import java.time.Duration;

/**
 * The NATS JetStream engine ({@code HERALD_ENGINE=nats}).
 *
 * @param url       NATS_URL (default nats://127.0.0.1:4222)
 * @param maxEvents history kept per channel (HERALD_HISTORY_SIZE): the stream's message limit
 * @param maxAge    and for how long (HERALD_HISTORY_TTL): the stream's message age limit
 * @param prefix    of every stream name and subject ({@code herald}), to share one NATS between deployments
 */
public record NatsEngineConfig(String url, int maxEvents, Duration maxAge, String prefix) {
  public NatsEngineConfig {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be positive");
    if (maxAge.toMillis() < 1) throw new IllegalArgumentException("maxAge must be at least 1 ms");
  }

  /** The channel's stream: {@code <prefix>_<channel>}, both as {@link #token}s. */
  String stream(String channel) {
    return token(prefix) + "_" + token(channel);
  }

  /** The one subject the channel's stream holds. */
  String subject(String channel) {
    return token(prefix) + ".ch." + token(channel);
  }

  /**
   * A name NATS accepts both as a stream name and as one subject token: letters, digits and {@code -} as they are,
   * any other character as {@code _<hex>_}, so two channels never share a stream.
   */
  static String token(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') b.append(c);
      else b.append('_').append(Integer.toHexString(c)).append('_');
    }
    return b.toString();
  }
}
