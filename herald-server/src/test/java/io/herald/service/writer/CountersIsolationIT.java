package io.herald.service.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.store.Namespace;
import io.lettuce.core.RedisClient;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Writers of two deployments on one Redis (HERALD_ENGINE_PREFIX): each keeps its own chat and
 * message counts, so chat 7 of one product never adds to chat 7 of another.
 */
class CountersIsolationIT {
  @Test
  void countsOfOneDeploymentAreNotSeenOrChangedByAnother() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Namespace a = new Namespace("writer-a-" + run, "");
    Namespace b = new Namespace("writer-b-" + run, "");
    RedisClient rc = RedisClient.create(WriterFixture.REDIS);
    try (Counters onA = new Counters(WriterFixture.REDIS, a);
        Counters onB = new Counters(WriterFixture.REDIS, b);
        var raw = rc.connect()) {
      onA.record(
          List.of(
              new WriterStore.Outcome.Applied(true, Counters.Kind.MESSAGES, 7, null),
              new WriterStore.Outcome.Applied(true, Counters.Kind.MESSAGES, 7, null)));
      onB.record(List.of(new WriterStore.Outcome.Applied(true, Counters.Kind.MESSAGES, 7, null)));
      assertThat(raw.sync().hget(onA.hash(Counters.Kind.MESSAGES), "7")).isEqualTo("2");
      assertThat(raw.sync().hget(onB.hash(Counters.Kind.MESSAGES), "7")).isEqualTo("1");
      assertThat(onA.hash(Counters.Kind.MESSAGES)).isEqualTo(a.prefix() + ":writer:messages_count");
      assertThat(raw.sync().smembers(onB.dirty(Counters.Kind.MESSAGES))).containsExactly("7");
      raw.sync()
          .del(
              onA.hash(Counters.Kind.MESSAGES),
              onB.hash(Counters.Kind.MESSAGES),
              onA.dirty(Counters.Kind.MESSAGES),
              onB.dirty(Counters.Kind.MESSAGES));
    } finally {
      rc.shutdown();
    }
  }
}
