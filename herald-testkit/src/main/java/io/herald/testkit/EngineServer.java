package io.herald.testkit;

import java.util.Map;

/**
 * A server of a shared engine, the test's own, that a test can stop (losing everything it held) and
 * start again.
 */
public interface EngineServer extends AutoCloseable {
  EngineServer start() throws Exception;

  /** Stops it; whatever it held is gone. */
  void stop() throws Exception;

  /** The environment that puts a Herald node on it. */
  Map<String, String> env();

  /**
   * How many nodes follow the channel: subscribers of its pub/sub (Redis) or consumers of its
   * stream (NATS).
   */
  long following(String channel) throws Exception;

  @Override
  default void close() throws Exception {
    stop();
  }
}
