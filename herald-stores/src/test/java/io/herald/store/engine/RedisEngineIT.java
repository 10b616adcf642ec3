package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.event.Event;
import io.herald.store.redis.RedisEngine;
import io.lettuce.core.ClientListArgs;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on the machine's Redis, plus what only a shared engine has: several nodes, and Redis
 * losing data.
 */
class RedisEngineIT extends RedisContract {
  static final String URL =
      System.getenv().getOrDefault("HERALD_TEST_REDIS_URL", "redis://127.0.0.1:6379");
  private RedisClient admin;
  private StatefulRedisConnection<String, String> redis;

  @BeforeEach
  void connect() {
    admin = RedisClient.create(URL);
    redis = admin.connect();
  }

  @AfterEach
  void cleanUp() {
    List<String> keys = redis.sync().keys(prefix + ":*");
    if (!keys.isEmpty()) redis.sync().del(keys.toArray(String[]::new));
    admin.shutdown();
  }

  @Override
  protected String url() {
    return URL;
  }

  @Override
  protected StatefulRedisConnection<String, String> redis() {
    return redis;
  }

  @Test
  void eventsPublishedWhileTheSubscriptionIsDownAreCaughtUpFromTheStream() throws Exception {
    Engine node = started(1000);
    Engine other = started(1000);
    long start = publish(other, channel, "t", "start").seq();
    Recorder r = new Recorder();
    node.subscribe(channel, start, r);
    publish(other, channel, "t", "1");
    await().atMost(Duration.ofSeconds(10)).until(() -> r.events.size() == 1);
    redis
        .sync()
        .clientKill(KillArgs.Builder.typePubsub()); // every pub/sub link drops; Lettuce reconnects
    for (int i = 2; i <= 50; i++) publish(other, channel, "t", Integer.toString(i));
    await().atMost(Duration.ofSeconds(15)).until(() -> r.events.size() >= 50);
    Thread.sleep(300); // a quiet period: a duplicate from the catch-up would arrive within it
    assertConsecutiveAfter(start, r.seqs(), 50);
    assertThat(r.resets).isEmpty();
  }

  @Test
  void anEventWithoutRoomsOrOriginIsPublishedInTheEarlierFormatSoNodesCanBeUpgradedOneAtATime()
      throws Exception {
    Engine node = started(1000);
    long first = publish(node, channel, "t", "0").seq();
    var pubsub = admin.connectPubSub();
    BlockingQueue<String> heard = new LinkedBlockingQueue<>();
    pubsub.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String ch, String message) {
            heard.add(message);
          }
        });
    pubsub.sync().subscribe(prefix + ":{" + channel + "}:live");
    Event plain = publish(node, channel, "stats_update", "{\"n\":1}");
    String message = heard.poll(5, TimeUnit.SECONDS);
    assertThat(message)
        .isEqualTo(
            plain.seq()
                + "\n"
                + first
                + "\n"
                + plain.time().toEpochMilli()
                + "\n12\nstats_update{\"n\":1}");
    pubsub.close();
  }

  @Test
  void aNodeSubscribesOnlyToTheChannelsItsClientsUse() throws Exception {
    RedisEngine node = (RedisEngine) started(1000);
    AutoCloseable s = node.subscribe(channel, 0, new Recorder());
    node.subscribe(channel + "-b", 0, new Recorder()).close();
    assertThat(node.channels()).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.sync().pubsubChannels(prefix + ":*").size() == 1);
    s.close();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.sync().pubsubChannels(prefix + ":*").isEmpty());
  }

  @Test
  void manyChannelsAreSpreadOverThePubSubConnectionsEachInOrder() throws Exception {
    Engine publisher = started(1000);
    Engine node = started(1000);
    List<Recorder> seen = new ArrayList<>();
    for (int c = 0; c < 20; c++) {
      Recorder r = new Recorder();
      seen.add(r);
      node.subscribe(channel + "-" + c, 0, r);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> redis.sync().pubsubChannels(prefix + ":*").size() == 20);
    for (int i = 0; i < 100; i++)
      publish(publisher, channel + "-" + (i % 20), "t", Integer.toString(i));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.stream().allMatch(r -> r.events.size() == 5));
    for (int c = 0; c < 20; c++) {
      int chan = c;
      assertThat(seen.get(c).events)
          .extracting(Event::data)
          .as("channel %d", c)
          .containsExactly(
              IntStream.range(0, 5)
                  .mapToObj(k -> Integer.toString(chan + 20 * k))
                  .toArray(String[]::new));
    }
    long busy =
        Arrays.stream(redis.sync().clientList(ClientListArgs.Builder.typePubsub()).split("\n"))
            .filter(l -> l.matches(".* sub=[1-9].*"))
            .count();
    assertThat(busy).as("pub/sub connections carrying channels").isGreaterThanOrEqualTo(2);
  }
}
