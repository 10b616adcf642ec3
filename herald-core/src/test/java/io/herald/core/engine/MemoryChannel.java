package io.herald.core.engine;

import io.herald.core.event.Event;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A channel kept in memory, as a feed's transport: a bounded history, a top that can go back (a
 * failover), and reads answered when the test says so ({@link #answer}), so that live messages can
 * arrive while a read is in flight.
 */
final class MemoryChannel implements FeedTransport {
  private final ArrayDeque<Event> kept = new ArrayDeque<>();
  final int capacity;
  private final ArrayDeque<Runnable> pending = new ArrayDeque<>();
  final List<Runnable> later = new ArrayList<>();
  final List<Long> fences = new ArrayList<>();
  final List<Long> follows = new ArrayList<>();
  int stops;
  int reads;

  /** The next read fails (the engine is away). */
  boolean failNext;

  boolean failNextFollow;
  Sweep sweep = Sweep.AT_ONCE;

  /** Reads are answered at once; false: they wait for {@link #answer}. */
  boolean immediate = true;

  private long top;
  private long base;

  MemoryChannel(int capacity) {
    this.capacity = capacity;
  }

  /**
   * Keeps the channel's next event and returns it with the sequence before it, as a live message
   * would carry it.
   */
  Event publish() {
    Event e = new Event("c", ++top, "t", "{\"n\":" + top + "}", Instant.EPOCH);
    kept.add(e);
    if (kept.size() > capacity) kept.removeFirst();
    return e;
  }

  long top() {
    return top;
  }

  /** The channel lost everything after {@code to}: a replica that lagged was promoted. */
  void goBack(long to) {
    while (!kept.isEmpty() && kept.peekLast().seq() > to) kept.removeLast();
    top = to;
  }

  /** As the fence scripts do: the channel starts again above the floor, empty. */
  @Override
  public CompletionStage<Void> fence(long floor) {
    fences.add(floor);
    if (top < floor) {
      kept.clear();
      top = floor + 1000;
      base = top;
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletionStage<Page> read(long since, int max) {
    reads++;
    CompletableFuture<Page> f = new CompletableFuture<>();
    Runnable answer =
        () -> {
          if (failNext) {
            failNext = false;
            f.completeExceptionally(new EngineUnavailableException("away"));
          } else {
            f.complete(page(since, max));
          }
        };
    if (immediate) answer.run();
    else pending.add(answer);
    return f;
  }

  /** Answers the oldest read in flight, with what the channel holds now. */
  void answer() {
    pending.remove().run();
  }

  boolean waiting() {
    return !pending.isEmpty();
  }

  private Page page(long since, int max) {
    List<Event> all = new ArrayList<>(kept);
    if (since < 0)
      return new Page(all.subList(Math.max(0, all.size() - max), all.size()), true, top);
    List<Event> after = all.stream().filter(e -> e.seq() > since).limit(max).toList();
    long first = all.isEmpty() ? top + 1 : all.getFirst().seq();
    boolean recovered = since <= top && (since >= first - 1 || since == 0 && first == base + 1);
    return new Page(after, recovered, top);
  }

  @Override
  public void later(Runnable r) {
    later.add(r);
  }

  void runLater() {
    List<Runnable> now = new ArrayList<>(later);
    later.clear();
    now.forEach(Runnable::run);
  }

  @Override
  public CompletionStage<Void> follow(long after) {
    follows.add(after);
    if (failNextFollow) {
      failNextFollow = false;
      return CompletableFuture.failedFuture(new EngineUnavailableException("away"));
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void stop() {
    stops++;
  }

  @Override
  public Sweep sweep() {
    return sweep;
  }
}
