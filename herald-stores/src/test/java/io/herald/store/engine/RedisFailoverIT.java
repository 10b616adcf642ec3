package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContract;
import io.herald.core.engine.Page;
import io.herald.core.event.Event;
import io.herald.store.Namespace;
import io.herald.store.redis.RedisEngine;
import io.herald.store.redis.RedisEngineConfig;
import io.herald.testkit.Ports;
import io.herald.testkit.RedisSentinelSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Sentinel failover under Herald: the master SIGKILLed, its replica promoted. With WAIT no
 * acknowledged event is lost and subscribers carry on; without it, events the replica had not
 * received are lost, and then every position from before is told "not recovered" and no sequence is
 * ever given twice.
 */
class RedisFailoverIT {
  private final String prefix = "herald-test-" + UUID.randomUUID();
  private final String channel = "failover-" + UUID.randomUUID();
  private final List<Engine> engines = new ArrayList<>();
  private RedisSentinelSet set;

  @BeforeEach
  void start() throws Exception {
    set =
        new RedisSentinelSet(2)
            .start(); // after the failover the new master still has a replica to WAIT for
  }

  @AfterEach
  void stop() throws Exception {
    engines.forEach(Engine::close);
    set.close();
  }

  private Engine node(int minReplicas) {
    Engine e =
        new RedisEngine(
                new RedisEngineConfig(
                    set.url(),
                    10_000,
                    Duration.ofMinutes(5),
                    new Namespace(prefix, ""),
                    minReplicas))
            .start();
    engines.add(e);
    return e;
  }

  @Test
  void withWaitAFailoverUnderLoadLosesNoAcknowledgedEventAndSubscribersCarryOn() throws Exception {
    Engine publisher = node(1);
    Engine follower = node(1);
    long start = EngineContract.publish(publisher, channel, "t", "start").seq();
    EngineContract.Recorder seen = new EngineContract.Recorder();
    follower.subscribe(channel, start, seen);
    PublishLoad load = new PublishLoad(publisher, channel, Duration.ofMillis(5));
    long failover;
    try (load) {
      load.awaitMore(100, Duration.ofSeconds(10));
      failover = set.killMaster();
      load.awaitMore(100, Duration.ofSeconds(30));
    }
    List<Event> acked = load.acked;
    await().atMost(Duration.ofSeconds(15)).until(() -> seen.events.containsAll(acked));
    List<Long> seqs = seen.seqs();
    assertThat(seqs).as("delivered once each, in order").isSorted().doesNotHaveDuplicates();
    assertThat(seen.resets).as("nothing acknowledged was lost, so nothing to reset").isEmpty();
    assertThat(load.refusedAt).as("publishes refused while no master was known").isNotEmpty();
    System.out.printf(
        "sentinel failover with WAIT: master replaced in %d ms; %d "
            + "publishes refused meanwhile; %d acknowledged, all delivered%n",
        failover, load.refusedAt.size(), acked.size());
  }

  @Test
  void withoutWaitEventsLostInAFailoverAreNotRecoveredAndNoSequenceIsGivenTwice() throws Exception {
    Engine publisher = node(0);
    Engine follower = node(0);
    long start = EngineContract.publish(publisher, channel, "t", "start").seq();
    for (int i = 0; i < 10; i++) EngineContract.publish(publisher, channel, "t", "kept-" + i);
    set.awaitReplicated();
    EngineContract.Recorder seen = new EngineContract.Recorder();
    follower.subscribe(channel, start, seen);
    await().atMost(Duration.ofSeconds(10)).until(() -> seen.events.size() == 10);

    set.replicas(
        false); // the replicas stall: what the master acknowledges now exists on the master only
    List<Long> lost = new ArrayList<>();
    for (int i = 0; i < 20; i++)
      lost.add(EngineContract.publish(publisher, channel, "t", "lost-" + i).seq());
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.events.size() == 30); // delivered live, then the master dies
    int master = set.masterPort();
    Thread killer =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    set.killMaster();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    // The replicas resume only once the master is dead: resumed before, they would copy the "lost"
    // events from it (a loaded CI machine can take longer than any fixed pause to reach the kill).
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !Ports.listening(master));
    set.replicas(true);
    killer.join();

    Event next = EngineContract.publish(publisher, channel, "t", "after");
    assertThat(next.seq())
        .as("a sequence after the failover is above every one given before it")
        .isGreaterThan(lost.getLast());
    // The follower's connection may still be following the failover (its first command there can
    // meet the old master's address or a replica mid-promotion): its reads are refused until it has
    // the new master, as the cluster's are (RedisClusterFailoverIT).
    Page p =
        await()
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(() -> EngineContract.read(follower, channel, lost.getLast(), 100), x -> true);
    assertThat(p.recovered()).as("a position from before the failover").isFalse();
    LossSeen.assertToldThenCaughtUp(seen, next);
  }
}
