package io.herald.core.engine;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Short-lived records every node of a shared engine can read, such as a disconnected client's
 * session kept for its recovery window, so that the client can recover it on any node. An engine
 * that shares nothing does not offer it.
 */
public interface SharedState {
  /** Keeps {@code value} under {@code key} for {@code ttl}, replacing what was there. */
  CompletionStage<Void> put(String key, String value, Duration ttl);

  /**
   * The value, removed in the same step (so one node at most takes it), or null when there is none.
   */
  CompletionStage<String> take(String key);
}
