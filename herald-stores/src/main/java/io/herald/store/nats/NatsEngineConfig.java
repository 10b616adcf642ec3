package io.herald.store.nats;

import io.herald.store.Namespace;
import java.time.Duration;
import java.util.Arrays;

/**
 * The NATS JetStream engine ({@code HERALD_ENGINE=nats}).
 *
 * @param url NATS_URL (default nats://127.0.0.1:4222)
 * @param maxEvents history kept per channel (HERALD_HISTORY_SIZE): the stream's message limit
 * @param maxAge and for how long (HERALD_HISTORY_TTL): the stream's message age limit
 * @param names every stream, subject and bucket, under HERALD_ENGINE_PREFIX, to share one NATS
 *     between deployments
 * @param replicas HERALD_NATS_REPLICAS: copies JetStream keeps of each stream and of the
 *     shared-values bucket
 */
public record NatsEngineConfig(
    String url, int maxEvents, Duration maxAge, Namespace names, int replicas) {
  public NatsEngineConfig {
    if (maxEvents < 1) throw new IllegalArgumentException("maxEvents must be positive");
    if (maxAge.toMillis() < 1) throw new IllegalArgumentException("maxAge must be at least 1 ms");
    if (replicas < 1 || replicas > 5) throw new IllegalArgumentException("replicas must be 1 to 5");
  }

  public NatsEngineConfig(String url, int maxEvents, Duration maxAge, Namespace names) {
    this(url, maxEvents, maxAge, names, 1);
  }

  /**
   * NATS_URL's servers: one, or several comma-separated (the nodes of a cluster; the client also
   * learns the others).
   */
  String[] servers() {
    return Arrays.stream(url.split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toArray(String[]::new);
  }

  /** The channel's stream. */
  String stream(String channel) {
    return names.natsStream(channel);
  }

  /** The one subject the channel's stream holds. */
  String subject(String channel) {
    return names.natsSubject(channel);
  }
}
