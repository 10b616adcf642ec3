package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.EngineContract;
import io.herald.core.event.Event;
import java.time.Duration;

/**
 * What a subscriber must see when a failover lost events without WAIT (both failover ITs check it).
 */
final class LossSeen {
  private LossSeen() {}

  /**
   * The subscriber is told (a reset: the latest events, not recovered), reaches {@code next} live
   * or in the reset, and never gets a sequence twice or out of order.
   */
  static void assertToldThenCaughtUp(EngineContract.Recorder seen, Event next) {
    await()
        .atMost(Duration.ofSeconds(15))
        .until(
            () ->
                !seen.resets.isEmpty()
                    && (seen.seqs().contains(next.seq())
                        || seen.resets.stream().anyMatch(r -> r.events().contains(next))));
    assertThat(seen.resets.getFirst().recovered()).isFalse();
    assertThat(seen.seqs())
        .as("never the same sequence twice, never out of order")
        .isSorted()
        .doesNotHaveDuplicates();
  }
}
