package io.herald.core.engine;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Subscriber;
import io.herald.core.hub.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Everything a service does with the engine its server runs on, and the only way it does it:
 * whichever engine that is (memory, file journal, Redis, NATS), a service publishes, reads and
 * subscribes the same way, so a service has one path for every engine instead of one per engine.
 *
 * <p>Two kinds of call. {@link #publish} and {@link #read} go to the engine: what they see is the
 * same on every node. The rest serve this node's copy of a channel (its recent history and its
 * subscribers on each event loop), which follows the engine once {@link #attach attached}: a client
 * is served from the node it is connected to, never with a round trip to the engine per client.
 */
public interface EnginePort {
  /** "memory", "journal", "redis" or "nats": for logs. */
  String engineName();

  /**
   * Whether channels are shared with other nodes: events then arrive from the engine, not only from
   * this node.
   */
  boolean shared();

  /** {@link #publish(String, String, String, EventMeta)} without rooms or origin. */
  default CompletionStage<Event> publish(String channel, String type, String data) {
    return publish(channel, type, data, EventMeta.NONE);
  }

  /**
   * Sequences and keeps the event and delivers it to every subscriber of the channel on every node.
   * Completes once it is kept; fails, with nobody having received it, when it cannot be (the engine
   * away, the journal refusing it).
   *
   * @param data JSON text, never parsed on the way
   */
  CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta);

  /**
   * The engine's kept events after {@code since} (see {@link Engine#read}): the channel's top as
   * every node sees it.
   */
  CompletionStage<Page> read(String channel, long since, int max);

  /**
   * Completes once this node holds the channel's recent history and follows the engine; at once
   * when not {@link #shared}. Keeps trying while the engine is away.
   */
  CompletionStage<Void> attach(String channel);

  /** Whether {@link #attach} has completed for the channel (always, when not shared). */
  boolean attached(String channel);

  /**
   * Delivers the channel's events to {@code subscriber} on {@code loop}, from this node's copy.
   *
   * @param since when not negative, first the kept events after it (see {@link Subscriber#replay})
   */
  Subscription subscribe(String channel, Subscriber subscriber, Executor loop, long since);

  void unsubscribe(Subscription subscription);

  /** The latest sequence this node holds for the channel, 0 when none. */
  long lastSeq(String channel);

  /**
   * The events this node holds after {@code since}, or null when its history no longer reaches back
   * that far or holds more than {@code max} of them: for a subscriber already receiving live events
   * that needs only what it missed.
   */
  Replay history(String channel, long since, int max);

  /**
   * Every event this node holds for the channel, oldest first: what a source published before a
   * restart.
   */
  List<Frame> kept(String channel);

  /**
   * Short-lived values every node reads (a client's session kept for its recovery), when the engine
   * shares them.
   */
  Optional<SharedState> sharedState();
}
