package io.herald.store.engine;

import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.event.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The load of the failover tests: numbered events published to one channel, one after another on a
 * virtual thread, until closed. It records what was acknowledged and when a publish was refused
 * (the engine's outage as a publisher sees it); a refused event is not retried, as it is owed to no
 * one.
 */
final class PublishLoad implements AutoCloseable {
  /** The events acknowledged, in the order they were. */
  final List<Event> acked = new CopyOnWriteArrayList<>();

  /** System.nanoTime() of each refusal. */
  final List<Long> refusedAt = new CopyOnWriteArrayList<>();

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  /**
   * Starts publishing to {@code channel} of {@code engine}, {@code pause} between publishes (zero:
   * none).
   */
  PublishLoad(Engine engine, String channel, Duration pause) {
    thread =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; running.get(); i++) {
                    try {
                      acked.add(
                          engine
                              .publish(channel, "t", Integer.toString(i))
                              .toCompletableFuture()
                              .get());
                    } catch (Exception refused) {
                      refusedAt.add(System.nanoTime());
                    }
                    pause(pause);
                  }
                });
  }

  private static void pause(Duration pause) {
    if (pause.isZero()) return;
    try {
      Thread.sleep(pause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Returns once {@code more} events beyond those acknowledged so far are; fails after {@code max}.
   */
  void awaitMore(int more, Duration max) {
    int before = acked.size();
    await().atMost(max).until(() -> acked.size() >= before + more);
  }

  /** Stops publishing, returning once the last publish is answered. */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join();
  }
}
