package io.herald.service.telemetry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * This instance's copy of the telemetry log's kept window, indexed by stream: the admin stream is
 * the whole log, an event type's and a user's streams are the events that name them. Every instance
 * holds the same window (the engine's, {@code HERALD_STREAM_MAX_EVENTS} events of at most {@code
 * EVENT_TTL}), so a poll is answered the same on any of them, from memory, without a round trip to
 * the engine. Thread-safe: the engine's thread appends, request threads read.
 */
final class StreamIndex {
  /** An event with the streams it lands in. */
  record Entry(TelemetryEvent event, long millis, List<String> streams) {}

  private final int max;
  private final long ttlMillis;
  private final ArrayDeque<Entry> window = new ArrayDeque<>();
  private final Map<String, TreeMap<Long, TelemetryEvent>> streams = new HashMap<>();

  /**
   * Per stream, the newest of its events trimmed from the window: a cursor before it missed
   * something. At most {@code max} streams are remembered (the least recently trimmed are
   * forgotten, and {@link #missed} then assumes the worst for a cursor from before the window).
   */
  private final LinkedHashMap<String, Long> dropped;

  /**
   * Events at or before this sequence were never seen here: lost, trimmed before this instance
   * loaded, or a reset.
   */
  private long base = -1;

  private long top;
  private long trimmed;

  StreamIndex(int max, long ttlMillis) {
    this.max = max;
    this.ttlMillis = ttlMillis;
    this.dropped =
        new LinkedHashMap<>(16, 0.75f, false) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > max;
          }
        };
  }

  /** Whether the window has been loaded from the engine (reads are refused until it has). */
  synchronized boolean loaded() {
    return base >= 0;
  }

  /**
   * Replaces the window with what the engine keeps (at start, and when the engine lost events):
   * {@code top} is its latest.
   */
  synchronized void reset(List<Entry> kept, long top) {
    window.clear();
    streams.clear();
    dropped.clear();
    long start = kept.isEmpty() ? top : kept.getFirst().event().id().value() - 1;
    // A reset after the first load means the engine lost events (it may even report an empty
    // channel, top 0, before
    // its new ones): nobody can say what followed this index's latest event, so every cursor up to
    // it, the latest
    // included, is told it missed events; never read as current.
    this.base = base < 0 ? start : Math.max(start, this.top + 1);
    this.trimmed = base;
    this.top = base;
    for (Entry e : kept) add(e);
    this.top = Math.max(this.top, top);
  }

  /** The engine's next event; false when already held. */
  synchronized boolean append(Entry e, long nowMillis) {
    if (e.event().id().value() <= top) return false;
    add(e);
    trim(nowMillis);
    return true;
  }

  private void add(Entry e) {
    long seq = e.event().id().value();
    window.addLast(e);
    for (String s : e.streams())
      streams.computeIfAbsent(s, k -> new TreeMap<>()).put(seq, e.event());
    top = Math.max(top, seq);
  }

  private void trim(long nowMillis) {
    while (!window.isEmpty()
        && (window.size() > max || window.peekFirst().millis() < nowMillis - ttlMillis)) {
      Entry gone = window.pollFirst();
      long seq = gone.event().id().value();
      trimmed = seq;
      for (String s : gone.streams()) {
        TreeMap<Long, TelemetryEvent> m = streams.get(s);
        if (m != null && m.remove(seq) != null && m.isEmpty()) streams.remove(s);
        dropped.remove(s); // re-inserted: the eldest entry is the stream trimmed longest ago
        dropped.put(s, seq);
      }
    }
  }

  /**
   * Events of {@code stream} after {@code after} (null or {@link EventId#ZERO}: from the oldest
   * kept), at most {@code limit}.
   */
  synchronized Page read(String stream, EventId after, int limit, long nowMillis) {
    if (base < 0) throw new StoreUnavailableException("the telemetry log is not loaded yet");
    trim(nowMillis);
    boolean fromStart = after == null || after.value() == 0;
    TreeMap<Long, TelemetryEvent> all = streams.getOrDefault(stream, new TreeMap<>());
    NavigableMap<Long, TelemetryEvent> tail = fromStart ? all : all.tailMap(after.value(), false);
    List<TelemetryEvent> out = new ArrayList<>(Math.min(limit, tail.size()));
    for (TelemetryEvent e : tail.values()) {
      if (out.size() == limit) break;
      out.add(e);
    }
    return new Page(out, !fromStart && missed(stream, after.value()), tail.size() > out.size());
  }

  /**
   * Whether events of {@code stream} after {@code cursor} may have been lost or trimmed before a
   * reader saw them.
   */
  private boolean missed(String stream, long cursor) {
    if (cursor < base) return true;
    Long d = dropped.get(stream);
    if (d != null) return d > cursor;
    return !streams.containsKey(stream)
        && cursor < trimmed; // forgotten: assume the worst for an old cursor
  }

  /** Whether the index has received the log up to {@code seq}. */
  synchronized boolean has(long seq) {
    return base >= 0 && top >= seq;
  }

  /** The log's latest sequence here: "now" for a reader that wants only what comes next. */
  synchronized EventId top() {
    if (base < 0) throw new StoreUnavailableException("the telemetry log is not loaded yet");
    return new EventId(top);
  }

  synchronized int size() {
    return window.size();
  }
}
