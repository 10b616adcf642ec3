package io.herald.store.nats;

import io.herald.core.engine.EngineListener;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription: delivers the channel's events after its position exactly once and in order. It reads the stream
 * up to its top, then follows it with an ordered push consumer starting right after the last event delivered; a
 * message that does not follow (a trim while it was away, a stream created again) sends it back to reading.
 * Synchronized: the dispatcher, the sweep and restarts call it from different threads.
 */
final class NatsFeed {
  private static final Logger LOG = LoggerFactory.getLogger(NatsFeed.class);
  static final int BATCH = 1000;

  private final NatsEngine engine;
  private final String channel;
  private final EngineListener listener;
  private long last;
  /** The base the consumer's stream sequences are counted from. */
  private long base;
  private JetStreamSubscription sub;
  private boolean restarting;
  private boolean again;
  /** The top the previous sweep saw this feed behind of; behind twice running means a stalled consumer. */
  private long behindAt = -1;
  private boolean closed;

  NatsFeed(NatsEngine engine, String channel, long after, EngineListener listener) {
    this.engine = engine;
    this.channel = channel;
    this.listener = listener;
    this.last = after;
  }

  /** Reads what the stream holds after the last delivered event, then follows it live. Blocking: a virtual thread. */
  void restart() {
    synchronized (this) {
      if (closed) return;
      if (restarting) {
        again = true;
        return;
      }
      restarting = true;
      stopConsumer();
    }
    try {
      do {
        synchronized (this) {
          again = false;
        }
        catchUp();
        follow();
      } while (again());
    } catch (IOException | JetStreamApiException | RuntimeException e) {
      LOG.debug("engine: following {} failed, retrying: {}", channel, e.toString());
      synchronized (this) {
        restarting = false;
      }
      engine.later(this::restart);
      return;
    }
    synchronized (this) {
      restarting = false;
    }
  }

  private synchronized boolean again() {
    if (!again || closed) return false;
    stopConsumer();
    return true;
  }

  private void catchUp() throws IOException, JetStreamApiException {
    while (true) {
      long from;
      synchronized (this) {
        if (closed) return;
        from = last;
      }
      Page page = engine.readNow(channel, from < 0 ? -1 : from, from < 0 ? 0 : BATCH);
      synchronized (this) {
        if (closed || last != from) return;
        if (from < 0) {  // live only: start at the top
          last = page.top();
          return;
        }
        if (!page.recovered()) {
          engine.base(channel);  // a stream NATS lost is created again first: the reset's top is its new base, not 0
          Page now = engine.readNow(channel, -1, engine.config.maxEvents());
          listener.reset(new Page(now.events(), false, now.top()));  // whoever held a position missed some
          last = now.top();
          return;
        }
        for (Event e : page.events()) {
          // From position 0 a recovered page starts at the channel's first event, whatever its sequence.
          if (e.seq() == last + 1 || last == 0) {
            last = e.seq();
            listener.event(e);
          }
        }
        if (page.events().isEmpty() || last >= page.top()) return;
      }
    }
  }

  private void follow() throws IOException, JetStreamApiException {
    long b = engine.base(channel);
    long startAt;
    synchronized (this) {
      if (closed) return;
      base = b;
      startAt = last <= b ? 1 : last - b + 1;  // position 0 (or the channel just created): from its first message
    }
    ConsumerConfiguration cc = ConsumerConfiguration.builder().deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(startAt).build();
    JetStreamSubscription s = engine.jetStream().subscribe(engine.config.subject(channel), engine.dispatcher(), this::onMessage, false,
        PushSubscribeOptions.builder().stream(engine.config.stream(channel)).ordered(true).configuration(cc).build());
    synchronized (this) {
      if (closed) {
        engine.dispatcher().unsubscribe(s);
        return;
      }
      sub = s;
    }
  }

  private void onMessage(Message m) {
    Event e;
    synchronized (this) {
      if (closed) return;  // whichever consumer it came from: only the next sequence is taken
      long seq = base + m.metaData().streamSequence();
      if (seq <= last) return;  // delivered already (by the catch-up read)
      if (seq != last + 1 && !(last == 0 && m.metaData().streamSequence() == 1)) {
        engine.blocking.execute(this::restart);  // trimmed while away, or the stream was created again
        return;
      }
      try {
        e = NatsBody.decode(channel, seq, m.getData());
      } catch (IllegalArgumentException notOurs) {
        last = seq;  // not an event: skip it, the sequence moves on
        return;
      }
      last = seq;
      listener.event(e);
    }
  }

  /** The sweep saw the channel's top: behind it on two sweeps in a row, with no restart running, means a stall. */
  synchronized void checkTop(long top) {
    if (closed || restarting || top <= last) {
      behindAt = -1;
      return;
    }
    if (behindAt >= 0 && last < behindAt) engine.blocking.execute(this::restart);
    else behindAt = top;
  }

  private void stopConsumer() {
    JetStreamSubscription s = sub;
    sub = null;
    if (s == null) return;
    try {
      engine.dispatcher().unsubscribe(s);
    } catch (RuntimeException e) {
      LOG.debug("engine: unsubscribing from {}: {}", channel, e.toString());
    }
  }

  synchronized void close() {
    closed = true;
    stopConsumer();
  }
}
