package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.event.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What only an engine shared by several nodes promises, beside the whole {@link EngineContract}:
 * Redis and NATS.
 */
public abstract class SharedEngineContract extends EngineContract {
  /** Makes the engine's server lose the channel's data, as a restart without persistence does. */
  protected abstract void loseChannel() throws Exception;

  @Test
  protected void
      whenTheEngineLosesTheChannelPositionsFromBeforeAreNotRecoveredAndSequencesStillGrow()
          throws Exception {
    Engine node = started(1000);
    long start = publish(node, channel, "t", "0").seq();
    long before = 0;
    for (int i = 1; i <= 10; i++) before = publish(node, channel, "t", Integer.toString(i)).seq();
    Recorder r = new Recorder();
    node.subscribe(channel, before, r);
    awaitSubscribed(channel); // live when the engine loses the channel
    loseChannel();
    Engine fresh = started(1000); // a node that never knew the old channel starts it again
    long after = publish(fresh, channel, "t", "new").seq();
    assertThat(after)
        .as("a lost channel starts above every sequence it had")
        .isGreaterThan(before + 1);
    Page p = read(node, channel, start + 3, 100);
    assertThat(p.recovered()).isFalse();
    assertThat(p.events()).extracting(Event::seq).containsExactly(after);
    await().atMost(Duration.ofSeconds(10)).until(() -> !r.resets.isEmpty());
    assertThat(r.resets.getFirst().recovered()).isFalse();
    assertThat(r.events).extracting(Event::seq).doesNotContain(before + 1);
    long next = publish(node, channel, "t", "next").seq();
    await().atMost(Duration.ofSeconds(10)).until(() -> r.seqs().contains(next));
  }

  @Test
  protected void threeNodesSeeEveryPublishOnceInTheSameOrder() throws Exception {
    Engine[] nodes = {started(1000), started(1000), started(1000)};
    long start = publish(nodes[0], channel, "t", "start").seq();
    Recorder[] seen = {new Recorder(), new Recorder(), new Recorder()};
    for (int i = 0; i < 3; i++) nodes[i].subscribe(channel, start, seen[i]);
    for (int i = 0; i < 90; i++) publish(nodes[i % 3], channel, "t", "n" + (i % 3) + "-" + i);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                seen[0].events.size() == 90
                    && seen[1].events.size() == 90
                    && seen[2].events.size() == 90);
    assertConsecutiveAfter(start, seen[0].seqs(), 90);
    assertThat(seen[1].events).isEqualTo(seen[0].events);
    assertThat(seen[2].events).isEqualTo(seen[0].events);
    assertThat(seen[0].events).extracting(Event::data).startsWith("n0-0", "n1-1", "n2-2");
  }
}
