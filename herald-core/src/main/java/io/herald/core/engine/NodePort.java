package io.herald.core.engine;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import io.herald.core.hub.Hub;
import io.herald.core.hub.Subscriber;
import io.herald.core.hub.Subscription;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The port a server hands its services: publishes go to the engine (never to the hub directly, so
 * every engine takes the same path, the local one included), and the node's copy is the hub that
 * {@code feed} keeps in step.
 */
public final class NodePort implements EnginePort {
  private final Hub hub;
  private final NodeFeed feed;

  /**
   * @param feed keeps {@code hub} in step with the engine; its engine is the one publishes go to
   */
  public NodePort(Hub hub, NodeFeed feed) {
    this.hub = hub;
    this.feed = feed;
  }

  @Override
  public String engineName() {
    return feed.engine().name();
  }

  @Override
  public boolean shared() {
    return feed.shared();
  }

  @Override
  public CompletionStage<Event> publish(String channel, String type, String data, EventMeta meta) {
    return feed.engine().publish(channel, type, data, meta);
  }

  @Override
  public CompletionStage<Page> read(String channel, long since, int max) {
    return feed.engine().read(channel, since, max);
  }

  @Override
  public CompletionStage<Void> attach(String channel) {
    return feed.attach(channel);
  }

  @Override
  public boolean attached(String channel) {
    return feed.attached(channel);
  }

  @Override
  public Subscription subscribe(String channel, Subscriber subscriber, Executor loop, long since) {
    return hub.subscribe(channel, subscriber, loop, since);
  }

  @Override
  public void unsubscribe(Subscription subscription) {
    hub.unsubscribe(subscription);
  }

  @Override
  public long lastSeq(String channel) {
    return hub.lastSeq(channel);
  }

  @Override
  public Replay history(String channel, long since, int max) {
    return hub.history(channel, since, max);
  }

  @Override
  public List<Frame> kept(String channel) {
    return hub.kept(channel);
  }

  @Override
  public Optional<SharedState> sharedState() {
    // Only a shared engine's values are seen by other nodes; a local one keeping some would mislead
    // a service.
    return feed.shared() && feed.engine() instanceof SharedState s
        ? Optional.of(s)
        : Optional.empty();
  }
}
