package io.herald.service.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Every connected Socket.IO socket: room membership counts and unique users for /api/stats,
 * connections per address for MAX_CONNECTIONS_PER_IP, and the state of disconnected sockets that
 * may still be recovered. Thread-safe: sockets live on several event loops.
 */
final class Sockets {
  /** What a recovered socket gets back. */
  record Saved(String pid, String socketId, SioUser user, Set<String> rooms, long expiresNanos) {}

  private final Set<SioSocket> connected = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Integer> rooms = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> perAddress = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Saved> saved = new ConcurrentHashMap<>();

  /**
   * Connected sockets' recoverable state, by pid, for the crash snapshot (kept only once {@link
   * #trackLive}).
   */
  private final ConcurrentHashMap<String, Saved> live = new ConcurrentHashMap<>();

  private volatile boolean trackLive;

  /** Something a snapshot holds changed since the last {@link #takeChanged}. */
  private final AtomicBoolean changed = new AtomicBoolean();

  static final int MAX_SAVED = 100_000;
  private final int maxPerAddress;

  Sockets(int maxPerAddress) {
    this.maxPerAddress = maxPerAddress;
  }

  /** Takes a connection slot for {@code address}; false when it already has the maximum. */
  boolean admit(String address) {
    boolean[] admitted = {false};
    // Inside compute: a release that empties the entry cannot interleave between the read and the
    // increment.
    perAddress.compute(
        address,
        (a, n) -> {
          int now = n == null ? 0 : n;
          if (now >= maxPerAddress) return n;
          admitted[0] = true;
          return now + 1;
        });
    return admitted[0];
  }

  void release(String address) {
    perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
  }

  void connected(SioSocket s) {
    connected.add(s);
  }

  void disconnected(SioSocket s) {
    connected.remove(s);
  }

  void joined(String room) {
    rooms.merge(room, 1, Integer::sum);
  }

  void left(String room) {
    rooms.computeIfPresent(room, (r, n) -> n <= 1 ? null : n - 1);
  }

  /**
   * Keeps a disconnected socket's state for recovery, unless {@value #MAX_SAVED} are kept already
   * (a storm of connects and drops must not grow the heap; those clients get a fresh session
   * instead).
   */
  void save(Saved state) {
    if (saved.size() < MAX_SAVED)
      saved.put(state.pid(), state); // full: the periodic sweep makes room, not each close
    if (trackLive) changed.set(true);
  }

  /**
   * From now on connected sockets' state is kept for {@link #snapshot} (HERALD_HISTORY_DIR: a crash
   * loses no session).
   */
  void trackLive() {
    trackLive = true;
    changed.set(true);
  }

  boolean tracksLive() {
    return trackLive;
  }

  /** A connected socket's rooms as they stand (its expiry is set when a snapshot is written). */
  void live(Saved state) {
    if (!trackLive) return;
    live.put(state.pid(), state);
    changed.set(true);
  }

  /** The socket with {@code pid} is no longer connected here. */
  void notLive(String pid) {
    if (trackLive && live.remove(pid) != null) changed.set(true);
  }

  /** Whether anything a snapshot holds changed since the last call. */
  boolean takeChanged() {
    return changed.getAndSet(false);
  }

  /**
   * What a crash must not lose: the saved states, and every connected socket's as if it had dropped
   * at {@code nowNanos} (recoverable for {@code window}), at most {@value #MAX_SAVED} in all.
   */
  Collection<Saved> snapshot(long nowNanos, Duration window) {
    List<Saved> out = new ArrayList<>(saved.values());
    for (Saved s : live.values()) {
      if (out.size() >= MAX_SAVED) break;
      out.add(new Saved(s.pid(), s.socketId(), s.user(), s.rooms(), nowNanos + window.toNanos()));
    }
    return out;
  }

  /** Whether this node holds a saved state for {@code pid} (expired or not). */
  boolean has(String pid) {
    return saved.containsKey(pid);
  }

  /** The saved state for {@code pid}, removed; null when unknown or expired. */
  Saved recover(String pid) {
    Saved s = saved.remove(pid);
    if (s != null && trackLive) changed.set(true);
    return s == null || System.nanoTime() - s.expiresNanos() > 0 ? null : s;
  }

  /**
   * Drops expired saved states (called now and then, so a stream of vanished clients cannot grow
   * it).
   */
  void expire() {
    long now = System.nanoTime();
    saved.values().removeIf(s -> now - s.expiresNanos() > 0);
  }

  /** The saved states, for writing them out at a stop. */
  Collection<Saved> saved() {
    return List.copyOf(saved.values());
  }

  int savedCount() {
    return saved.size();
  }

  int count() {
    return connected.size();
  }

  void forEachConnected(Consumer<SioSocket> action) {
    connected.forEach(action);
  }

  /** Every room with its member count, as it stands (for the operator's page). */
  Map<String, Integer> roomCounts() {
    return Map.copyOf(rooms);
  }

  /** The seed's /api/stats body under {@code stats}. */
  Map<String, Object> stats() {
    int total = 0, authenticated = 0;
    Set<String> users = new HashSet<>();
    for (SioSocket s : connected) {
      total++;
      if (!s.user().anonymous()) {
        authenticated++;
        users.add(s.user().userId());
      }
    }
    List<Map<String, Object>> roomStats = new ArrayList<>();
    rooms.forEach(
        (name, n) -> {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("name", name);
          r.put("connections", n);
          roomStats.add(r);
        });
    roomStats.sort(
        (a, b) -> Integer.compare((int) b.get("connections"), (int) a.get("connections")));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("totalConnections", total);
    m.put("authenticatedConnections", authenticated);
    m.put("anonymousConnections", total - authenticated);
    m.put("totalRooms", roomStats.size());
    m.put("uniqueUsers", users.size());
    m.put("roomStats", roomStats);
    return m;
  }
}
