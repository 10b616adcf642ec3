package io.herald.store.nats;

import io.herald.core.engine.EngineFeed;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.FeedTransport;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.herald.core.event.EventCodec;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription's transport on JetStream ({@link EngineFeed} does the ordering, gaps and
 * resets): the history is the channel's stream, and live messages come from an ordered push
 * consumer the feed starts right after the last event it read, and stops before every read. A
 * message that does not follow (a trim while it was away, a stream created again) sends the feed
 * back to the stream. The sweep restarts only a consumer that stalled ({@link Sweep#STALLED}): one
 * that lags under load still delivers.
 */
final class NatsFeed implements FeedTransport {
  private static final Logger LOG = LoggerFactory.getLogger(NatsFeed.class);

  private final NatsEngine engine;
  private final String channel;
  private final EngineFeed feed;

  /** The base the consumer's stream sequences are counted from. */
  private volatile long base;

  private JetStreamSubscription sub;
  private boolean closed;

  NatsFeed(NatsEngine engine, String channel, long after, EngineListener listener) {
    this.engine = engine;
    this.channel = channel;
    this.feed = new EngineFeed(this, after, engine.config.maxEvents(), listener);
  }

  EngineFeed feed() {
    return feed;
  }

  @Override
  public CompletionStage<Page> read(long since, int max) {
    return engine.call(() -> engine.readNow(channel, since, max));
  }

  @Override
  public void later(Runnable r) {
    engine.later(r);
  }

  /**
   * A stream NATS lost is created again (with a later base), so the reset's top is its new base,
   * not 0.
   */
  @Override
  public CompletionStage<Void> fence(long floor) {
    return engine.call(
        () -> {
          engine.base(channel);
          return null;
        });
  }

  @Override
  public Sweep sweep() {
    return Sweep.STALLED;
  }

  @Override
  public CompletionStage<Void> follow(long after) {
    return engine.call(
        () -> {
          long b = engine.base(channel);
          base = b;
          long startAt =
              after <= b
                  ? 1
                  : after - b
                      + 1; // position 0 (or the channel just created): from its first message
          ConsumerConfiguration cc =
              ConsumerConfiguration.builder()
                  .deliverPolicy(DeliverPolicy.ByStartSequence)
                  .startSequence(startAt)
                  .build();
          JetStreamSubscription s =
              engine
                  .jetStream()
                  .subscribe(
                      engine.config.subject(channel),
                      engine.dispatcher(),
                      this::onMessage,
                      false,
                      PushSubscribeOptions.builder().stream(engine.config.stream(channel))
                          .ordered(true)
                          .configuration(cc)
                          .build());
          synchronized (this) {
            if (closed) {
              engine.dispatcher().unsubscribe(s);
            } else {
              stop(); // a consumer from a follow the feed gave up on
              sub = s;
            }
          }
          return null;
        });
  }

  private void onMessage(Message m) {
    long streamSeq = m.metaData().streamSequence();
    long seq = base + streamSeq;
    long prev =
        streamSeq == 1 ? 0 : seq - 1; // a stream's first message is its channel's first event
    Event e;
    try {
      e = EventCodec.decodeBody(channel, seq, m.getData());
    } catch (IllegalArgumentException notOurs) {
      feed.skipped(seq, prev); // not an event: the sequence moves on
      return;
    }
    feed.live(e, prev);
  }

  @Override
  public synchronized void stop() {
    JetStreamSubscription s = sub;
    sub = null;
    if (s == null) return;
    try {
      engine.dispatcher().unsubscribe(s);
    } catch (RuntimeException e) {
      LOG.debug("engine: unsubscribing from {}: {}", channel, e.toString());
    }
  }

  void close() {
    feed.close();
    synchronized (this) {
      closed = true;
      stop();
    }
  }
}
