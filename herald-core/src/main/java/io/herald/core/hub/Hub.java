package io.herald.core.hub;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.event.Frame;
import io.herald.core.history.History;
import io.herald.core.history.Journal;
import io.herald.core.history.Replay;
import java.time.InstantSource;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine: channels, per-channel sequences and history, subscribe and publish with fan-out.
 *
 * <p>Thread-safe. {@link #publish} never blocks on subscribers: it hands one task per event loop to
 * each loop that has subscribers on the channel, and those tasks write to their connections.
 * Channels are created on first use and kept (with their history) for the life of the hub.
 */
public final class Hub {
  private final HubConfig config;
  private final InstantSource clock;
  private final FanOutObserver observer;
  private final Journal journal;
  private final ConcurrentHashMap<String, Channel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger subscriptions = new AtomicInteger();
  private final LongAdder published = new LongAdder();

  public Hub(HubConfig config, InstantSource clock) {
    this(config, clock, FanOutObserver.NONE);
  }

  public Hub(HubConfig config, InstantSource clock, FanOutObserver observer) {
    this(config, clock, observer, Journal.NONE);
  }

  /**
   * @param journal where events are kept across restarts; a channel's tail is read back on its
   *     first use
   */
  public Hub(HubConfig config, InstantSource clock, FanOutObserver observer, Journal journal) {
    this.config = config;
    this.clock = clock;
    this.observer = observer;
    this.journal = journal;
  }

  /**
   * Accepts an event: assigns the channel's next sequence, appends it to the journal, keeps it in
   * history and fans it out.
   *
   * @param data the payload as JSON text; the hub does not parse it
   * @return the frame, with its sequence, as subscribers receive it
   * @throws io.herald.core.history.JournalException when the journal cannot keep it: refused,
   *     nobody received it
   *     <p>Package-private: only the memory engine ({@link LocalEngine}) publishes on the hub. An
   *     event published on one node's hub past its engine would reach no other node and take a
   *     sequence the engine gives to another event.
   */
  Frame publish(String channel, String type, String data) {
    return publish(channel, type, data, EventMeta.NONE);
  }

  /** As {@link #publish(String, String, String)}, with the event's rooms and origin as fields. */
  Frame publish(String channel, String type, String data, EventMeta meta) {
    Frame frame = channel(channel).publish(type, data, meta);
    published.increment();
    return frame;
  }

  /**
   * Subscribes to a channel's live events, delivered on {@code loop}.
   *
   * @param since when not negative, first replay the history after this sequence (see {@link
   *     Subscriber})
   */
  public Subscription subscribe(String channel, Subscriber subscriber, Executor loop, long since) {
    channel(channel).subscribe(subscriber, loop, since);
    subscriptions.incrementAndGet();
    return new Subscription(channel, subscriber, loop);
  }

  /**
   * Ends a subscription. Frames already handed to its loop may still be delivered; idempotence is
   * the caller's.
   */
  public void unsubscribe(Subscription s) {
    Channel c = channels.get(s.channel());
    if (c == null) return;
    c.unsubscribe(s.subscriber(), s.loop());
    subscriptions.decrementAndGet();
  }

  /**
   * The events after {@code since}, or null when history no longer reaches back that far or holds
   * more than {@code max} of them. For a subscriber that was already receiving live events from
   * elsewhere (a dispatcher on its loop) and needs only what it missed: read after that live feed
   * exists, so nothing falls between the two.
   */
  public Replay history(String channel, long since, int max) {
    return channel(channel).history(since, max);
  }

  /**
   * Every event the channel's history keeps now, oldest first; right after a start, what the
   * journal gave back. For a source that wants to know what it published before a restart.
   */
  public List<Frame> kept(String channel) {
    return channel(channel).kept();
  }

  /**
   * The kept events after {@code since}, at most {@code max} of them ({@code since < 0}: the latest
   * {@code max}), whether history reaches back to {@code since}, and the channel's latest sequence.
   */
  public Replay read(String channel, long since, int max) {
    return channel(channel).read(since, max);
  }

  /**
   * A node of a cluster: an event its engine sequenced (on whichever node published it), kept in
   * this node's history and fanned out to its subscribers. Events must come in sequence order; one
   * already kept is ignored.
   *
   * @return false when the event was already kept
   * @throws IllegalStateException when the event does not follow the channel's latest one (the
   *     engine reports a gap through {@link #reset} instead)
   */
  public boolean follow(Event event) {
    boolean kept = channel(event.channel()).follow(event);
    if (kept) published.increment();
    return kept;
  }

  /**
   * A node of a cluster: the engine could not give the events between this node's latest and {@code
   * top}. History is replaced by {@code events}, sequences continue after {@code top}, and every
   * subscriber is told it missed events.
   */
  public void reset(String channel, List<Event> events, long top) {
    channel(channel).reset(events, top);
  }

  /**
   * The channel's latest sequence, 0 if it has none (the channel is created, and restored, on this
   * first use).
   */
  public long lastSeq(String channel) {
    return channel(channel)
        .lastSeq(); // through channel(): after a restart, the journal's last sequence, not 0
  }

  public HubStats stats() {
    return new HubStats(channels.size(), subscriptions.get(), published.sum());
  }

  /**
   * The channels with the most subscriptions, at most {@code max} of them, most subscribed first.
   * Takes each channel's lock once, briefly: for an operator's page polled every second or so, not
   * for a hot path.
   */
  public List<ChannelStats> busiest(int max) {
    return channels.values().stream()
        .map(Channel::stats)
        .sorted(
            Comparator.comparingInt(ChannelStats::subscriptions)
                .reversed()
                .thenComparing(ChannelStats::name))
        .limit(max)
        .toList();
  }

  private Channel channel(String name) {
    if (name.isEmpty() || name.length() > 255)
      throw new IllegalArgumentException("channel name must be 1-255 characters");
    Channel c = channels.get(name);
    return c != null
        ? c
        : channels.computeIfAbsent(
            name,
            n -> {
              History h = new History(config.history(), clock);
              h.restore(journal.restore(n, config.history().maxEvents()));
              return new Channel(n, h, clock, observer, journal);
            });
  }
}
