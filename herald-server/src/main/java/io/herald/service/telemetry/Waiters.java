package io.herald.service.telemetry;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Parked long polls and open SSE streams, by the stream they wait on. A publish (here, or on
 * another instance through Redis pub/sub) wakes only the waiters of the streams it touched; a
 * stream with no waiter costs nothing.
 */
final class Waiters {
  /**
   * Something waiting for events. {@link #wake} may be called on any thread and must hop to its
   * own.
   */
  interface Waiter {
    void wake();

    /**
     * The server is stopping: answer or end now (on the waiter's own thread), completing when
     * written.
     */
    Future<Void> shutdown();
  }

  private final ConcurrentHashMap<String, Set<Waiter>> byStream = new ConcurrentHashMap<>();

  void add(String stream, Waiter w) {
    byStream.compute(
        stream,
        (k, set) -> {
          Set<Waiter> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          s.add(w);
          return s;
        });
  }

  void remove(String stream, Waiter w) {
    byStream.computeIfPresent(
        stream,
        (k, set) -> {
          set.remove(w);
          return set.isEmpty() ? null : set;
        });
  }

  void wake(Set<String> streams) {
    if (streams == EventStore.ALL_STREAMS) {
      byStream.values().forEach(set -> set.forEach(Waiter::wake));
      return;
    }
    for (String s : streams) {
      Set<Waiter> set = byStream.get(s);
      if (set != null) set.forEach(Waiter::wake);
    }
  }

  /** Every waiter, for shutdown. */
  List<Waiter> all() {
    return byStream.values().stream().flatMap(Set::stream).toList();
  }

  /** The waiters of one kind (SSE streams, long polls), for the operator's page. */
  int count(Class<? extends Waiter> kind) {
    int n = 0;
    for (Set<Waiter> set : byStream.values()) for (Waiter w : set) if (kind.isInstance(w)) n++;
    return n;
  }

  /** How many wait on each stream now. */
  Map<String, Integer> byStream() {
    Map<String, Integer> out = new HashMap<>();
    byStream.forEach((stream, set) -> out.put(stream, set.size()));
    return out;
  }

  int size() {
    return byStream.values().stream().mapToInt(Set::size).sum();
  }
}
