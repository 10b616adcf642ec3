package io.herald.store;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Which engine sequences, keeps and shares the channels: HERALD_ENGINE, parsed once. */
public enum EngineKind {
  /** One node; with HERALD_HISTORY_DIR the file journal keeps history across restarts. */
  MEMORY,
  /** Channels, history and sequences shared through Redis (one server, Sentinel, or a Cluster). */
  REDIS,
  /** Shared through NATS JetStream (one server or a cluster). */
  NATS;

  /** The names HERALD_ENGINE accepts, as written there. */
  public static final List<String> NAMES = Arrays.stream(values()).map(EngineKind::label).toList();

  /** As HERALD_ENGINE writes it, and as logs and /health show it. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException for a name not in {@link #NAMES}
   */
  public static EngineKind parse(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT));
  }

  /** Channels shared with other nodes, not kept in this process. */
  public boolean shared() {
    return this != MEMORY;
  }
}
