package io.herald.core.engine;

import io.herald.core.event.Event;
import java.util.ArrayDeque;

/**
 * One subscription to a channel of an engine: delivers the events after its position to its
 * listener exactly once and in order, or tells it {@link EngineListener#reset}. Every engine's
 * subscriptions are one of these; what differs between engines is behind {@link FeedTransport}.
 *
 * <p>It reads the history after the last event delivered, page by page up to the channel's top,
 * then follows live messages. A live message carries the sequence before it, so the feed knows
 * whether it follows the last one it delivered; one that does not (a message lost on the way, a
 * trim while a consumer was away) sends it back to the history. Live messages that arrive while it
 * reads are held and applied after, in order. A history that no longer reaches back is a reset: the
 * listener gets the channel's latest events and delivery goes on after them. When the channel's top
 * is below what was delivered (a failover lost events), the transport fences the channel first, so
 * no later event can reuse a sequence a client already holds.
 *
 * <p>Every method is synchronized: live messages, read completions and the sweep come from
 * different threads. The listener is called under the lock, so it sees one call at a time.
 */
public final class EngineFeed {
  /** History is read this many events at a time. */
  public static final int BATCH = 1000;

  /**
   * Held live messages past this are dropped: the history has them, and the feed reads it again
   * instead.
   */
  public static final int MAX_HELD = 10_000;

  private final FeedTransport transport;
  private final EngineListener listener;
  private final int resetSize;
  private final ArrayDeque<Live> held = new ArrayDeque<>();

  /** The last sequence delivered; negative for a live-only subscription until its first read. */
  private long last;

  /**
   * False until {@link #catchUp} is first called (a pub/sub subscription took): live messages are
   * held.
   */
  private boolean started;

  /**
   * A read of the history, or the start of live messages after it, is in flight: live messages are
   * held.
   */
  private boolean reading;

  /**
   * Another read was asked for while one was in flight (a reconnect): run it when this one ends.
   */
  private boolean again;

  private boolean heldOverflow;

  /**
   * {@link FeedTransport.Sweep#STALLED}: the top the previous sweep found this feed short of, or
   * -1.
   */
  private long behindAt = -1;

  private boolean closed;

  /**
   * @param after the last sequence the listener has; negative: only what is published from now on
   * @param resetSize how many of the latest events a reset hands the listener (what the engine
   *     keeps of a channel)
   */
  public EngineFeed(FeedTransport transport, long after, int resetSize, EngineListener listener) {
    this.transport = transport;
    this.resetSize = resetSize;
    this.listener = listener;
    this.last = after;
  }

  /**
   * A live message; {@code event} is null for a sequence that holds something else than an event
   * (skipped).
   */
  private record Live(long seq, long prev, Event event) {}

  /** A live event, and the sequence before it on its channel (0 when it is the channel's first). */
  public synchronized void live(Event event, long prev) {
    offer(new Live(event.seq(), prev, event));
  }

  /**
   * A live message at {@code seq} that is not an event (another program wrote it): the sequence
   * moves on past it.
   */
  public synchronized void skipped(long seq, long prev) {
    offer(new Live(seq, prev, null));
  }

  private void offer(Live live) {
    if (closed) return;
    if (!started || reading) {
      if (held.size() < MAX_HELD) held.add(live);
      else heldOverflow = true;
      return;
    }
    apply(live);
  }

  private void apply(Live live) {
    if (live.seq() <= last) return; // already delivered (by the history, or a duplicate)
    if (live.prev() == last) {
      last = live.seq();
      if (live.event() != null) listener.event(live.event());
      return;
    }
    held.addFirst(live); // a gap: what came between is in the history
    startRead();
  }

  /**
   * Reads the history after the last event delivered: once live messages can arrive, and after
   * every reconnect.
   */
  public synchronized void catchUp() {
    if (closed) return;
    started = true;
    if (reading) again = true;
    else startRead();
  }

  /**
   * The engine's sweep found the channel's top: see {@link FeedTransport.Sweep} for when that reads
   * the history.
   */
  public synchronized void checkTop(long top) {
    if (closed || !started || reading || last < 0 || top == last) {
      behindAt = -1;
      return;
    }
    if (transport.sweep() == FeedTransport.Sweep.AT_ONCE) {
      startRead();
      return;
    }
    if (top < last) {
      behindAt = -1;
    } else if (behindAt >= 0 && last < behindAt) {
      startRead();
    } else {
      behindAt = top;
    }
  }

  private void startRead() {
    if (closed || reading) return;
    reading = true;
    behindAt = -1;
    transport.stop();
    readMore();
  }

  private void readMore() {
    long from = last;
    transport.read(from < 0 ? -1 : from, from < 0 ? 0 : BATCH).whenComplete(this::onPage);
  }

  private synchronized void retry() {
    if (!closed && reading) readMore();
  }

  private synchronized void onPage(Page page, Throwable err) {
    if (closed) return;
    if (err != null) {
      transport.later(this::retry);
      return;
    }
    if (last < 0) { // live only: start at the top
      last = page.top();
      follow();
      return;
    }
    if (!page.recovered()) {
      if (last
          > page
              .top()) { // the channel went back: no later event may reuse a sequence delivered here
        transport.fence(last).whenComplete((ok, e) -> fenced(e));
        return;
      }
      readReset();
      return;
    }
    long before = last;
    for (Event e : page.events()) {
      // From position 0 a recovered page starts at the channel's first event, whatever its
      // sequence.
      if (e.seq() == last + 1 || last == 0) {
        last = e.seq();
        listener.event(e);
      }
    }
    // A page that moved nothing has a hole the history cannot fill (a message that is not an
    // event): live
    // messages skip past it, where reading again would ask for the same page forever.
    if (last < page.top() && last != before) readMore();
    else follow();
  }

  private synchronized void fenced(Throwable err) {
    if (closed) return;
    if (err != null) transport.later(this::retry);
    else readReset();
  }

  private void readReset() {
    transport.read(-1, resetSize).whenComplete(this::onReset);
  }

  private synchronized void onReset(Page page, Throwable err) {
    if (closed) return;
    if (err != null) {
      transport.later(this::retry);
      return;
    }
    listener.reset(
        new Page(
            page.events(),
            false,
            page.top())); // the latest events: whoever held a position missed some
    last = page.top();
    follow();
  }

  /** The history is read up to the top: live messages from here on. */
  private void follow() {
    if (again
        || heldOverflow) { // a reconnect meanwhile, or messages dropped while held: the history has
      // them
      again = false;
      heldOverflow = false;
      readMore();
      return;
    }
    transport.follow(last).whenComplete((ok, e) -> following(e));
  }

  private synchronized void following(Throwable err) {
    if (closed) return;
    if (err != null) {
      transport.later(this::retry); // reads again from the last event, then follows again
      return;
    }
    reading = false;
    if (again || heldOverflow) {
      again = false;
      heldOverflow = false;
      startRead();
      return;
    }
    for (Live l; !reading && (l = held.poll()) != null; ) apply(l);
  }

  /** The last sequence delivered (negative before the first read of a live-only subscription). */
  public synchronized long last() {
    return last;
  }

  /** No listener call after this returns. */
  public synchronized void close() {
    closed = true;
    held.clear();
  }
}
