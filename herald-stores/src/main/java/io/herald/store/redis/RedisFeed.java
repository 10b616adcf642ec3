package io.herald.store.redis;

import io.herald.core.engine.EngineListener;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import java.util.ArrayDeque;

/**
 * One subscription: delivers the channel's events after its position exactly once and in order. Live messages
 * that arrive while it reads the stream are held and applied after; a gap (a lost message) sends it back to the
 * stream. Every method is synchronized: pub/sub, script replies and the timer call it from different threads.
 */
final class RedisFeed {
  /** Read from the stream this many at a time. */
  static final int BATCH = 1000;
  /** Held live messages past this are dropped: the stream has them, and the catch-up reads on until the top. */
  static final int MAX_HELD = 10_000;

  private final RedisEngine engine;
  private final String channel;
  private final EngineListener listener;
  private final ArrayDeque<Live> held = new ArrayDeque<>();
  private long last;
  /** False until the pub/sub subscription took: live messages are held until the first read after it. */
  private boolean started;
  /** A read of the stream is in flight; live messages are held until it ends. */
  private boolean reading;
  /** Another read was asked for while one was in flight (a reconnect): run it when this one ends. */
  private boolean again;
  private boolean heldOverflow;
  private boolean closed;

  RedisFeed(RedisEngine engine, String channel, long after, EngineListener listener) {
    this.engine = engine;
    this.channel = channel;
    this.last = after;
    this.listener = listener;
  }

  /** A pub/sub message: the event and the sequence before it (0 when it is its channel's first). */
  record Live(Event event, long prev) {}

  synchronized void onLive(Event e, long prev) {
    if (closed) return;
    Live live = new Live(e, prev);
    if (!started || reading) {
      if (held.size() < MAX_HELD) held.add(live);
      else heldOverflow = true;
      return;
    }
    apply(live);
  }

  private void apply(Live live) {
    Event e = live.event();
    if (e.seq() <= last) return;  // already delivered (by the stream, or a duplicate)
    if (live.prev() == last) {
      last = e.seq();
      listener.event(e);
      return;
    }
    held.addFirst(live);  // a gap: a message was lost; the stream has it
    startRead();
  }

  /** Reads the stream from the last delivered event: after the subscription took, and after every reconnect. */
  synchronized void catchUp() {
    if (closed) return;
    started = true;
    if (reading) again = true;
    else startRead();
  }

  /** The sweep saw the channel's top: behind it with nothing in flight means a lost message, ahead of it a lost channel tail. */
  synchronized void checkTop(long top) {
    // Below what was delivered: the channel went back (a failover lost events); the read finds it and fences it.
    if (started && !reading && last >= 0 && top != last) startRead();
  }

  private void startRead() {
    if (closed || reading) return;
    reading = true;
    readMore();
  }

  private void readMore() {
    long from = last;
    engine.read(channel, from < 0 ? -1 : from, from < 0 ? 0 : BATCH).whenComplete(this::onPage);
  }

  private synchronized void onPage(Page page, Throwable err) {
    if (closed) return;
    if (err != null) {
      engine.later(this::retry);
      return;
    }
    if (last < 0) {  // live only: start at the top
      last = page.top();
      finish();
      return;
    }
    if (!page.recovered()) {
      if (last > page.top()) {  // the channel went back: no later event may reuse a sequence delivered here
        long floor = last;
        engine.fence(channel, floor).whenComplete((fenced, e) -> {
          if (e != null) engine.later(this::retry);
          else engine.read(channel, -1, engine.config.maxEvents()).whenComplete(this::onReset);
        });
        return;
      }
      engine.read(channel, -1, engine.config.maxEvents()).whenComplete(this::onReset);
      return;
    }
    for (Event e : page.events()) {
      // From position 0 a recovered page starts at the channel's first event, whatever its sequence.
      if (e.seq() == last + 1 || last == 0 && page.recovered()) {
        last = e.seq();
        listener.event(e);
      }
    }
    if (last < page.top() && !page.events().isEmpty()) readMore();
    else finish();
  }

  private synchronized void retry() {
    if (!closed && reading) readMore();
  }

  private synchronized void onReset(Page page, Throwable err) {
    if (closed) return;
    if (err != null) {
      engine.later(this::retry);
      return;
    }
    listener.reset(new Page(page.events(), false, page.top()));  // the latest events: whoever held a position missed some
    last = page.top();
    finish();
  }

  private void finish() {
    reading = false;
    if (again || heldOverflow) {  // a reconnect meanwhile, or messages dropped while held: the stream has them
      again = false;
      heldOverflow = false;
      startRead();
      return;
    }
    for (Live l; !reading && (l = held.poll()) != null; ) apply(l);
  }

  /** The last sequence delivered (negative before the first read of a live-only subscription). */
  synchronized long last() {
    return last;
  }

  synchronized void close() {
    closed = true;
    held.clear();
  }
}
