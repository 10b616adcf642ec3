package io.herald.core.engine;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import java.util.concurrent.CompletionStage;

/**
 * The contract every engine keeps, and the contract tests check on each: per channel, sequences are
 * gapless and increase (across restarts for a durable engine, and across a loss of the engine's
 * data, which is reported instead of reused); a subscription delivers every event after its start
 * exactly once and in order, or says {@link EngineListener#reset}; a read after a position tells
 * whether it reaches back to it.
 */
public interface Engine extends AutoCloseable {
  /** "memory", "journal", "redis" or "nats": for logs and /health. */
  String name();

  /**
   * Assigns the channel's next sequence, keeps the event in the channel's history and delivers it
   * to every subscription on the channel, on every node. Completes once the event is kept; fails
   * (and nobody receives the event) when it cannot be.
   *
   * @param data the payload as JSON text, never parsed by the engine
   */
  default CompletionStage<Event> publish(String channel, String type, String data) {
    return publish(channel, type, data, EventMeta.NONE);
  }

  /**
   * As {@link #publish(String, String, String)}, with the event's rooms and origin, which every
   * node receives as sent.
   */
  CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta);

  /**
   * The kept events after {@code since} (at most {@code max}), whether the history reaches back to
   * {@code since}, and the channel's top. {@code since < 0} asks for the latest {@code max} events.
   */
  CompletionStage<Page> read(String channel, long since, int max);

  /**
   * Delivers the channel's events after {@code after} to {@code listener} until the returned handle
   * is closed. Events published after the call are never missed; ones that were are reported
   * through {@link EngineListener#reset}.
   */
  AutoCloseable subscribe(String channel, long after, EngineListener listener);

  /** Null while the engine can serve, else why not (for /health; never a URL or a password). */
  default String problem() {
    return null;
  }

  @Override
  void close();
}
