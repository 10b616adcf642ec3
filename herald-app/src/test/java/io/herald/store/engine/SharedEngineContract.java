package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.event.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What only an engine shared by several nodes promises, beside the whole {@link EngineContract}: Redis and NATS. */
abstract class SharedEngineContract extends EngineContract {
  @Test
  void threeNodesSeeEveryPublishOnceInTheSameOrder() throws Exception {
    Engine[] nodes = {started(1000), started(1000), started(1000)};
    long start = publish(nodes[0], channel, "t", "start").seq();
    Recorder[] seen = {new Recorder(), new Recorder(), new Recorder()};
    for (int i = 0; i < 3; i++) nodes[i].subscribe(channel, start, seen[i]);
    for (int i = 0; i < 90; i++) publish(nodes[i % 3], channel, "t", "n" + (i % 3) + "-" + i);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen[0].events.size() == 90 && seen[1].events.size() == 90 && seen[2].events.size() == 90);
    assertConsecutiveAfter(start, seen[0].seqs(), 90);
    assertThat(seen[1].events).isEqualTo(seen[0].events);
    assertThat(seen[2].events).isEqualTo(seen[0].events);
    assertThat(seen[0].events).extracting(Event::data).startsWith("n0-0", "n1-1", "n2-2");
  }
}
