package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.testkit.RedisClusterSet;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole contract on a Redis Cluster of three masters with a replica each, and what sharded
 * pub/sub is for: a channel's live messages go to the shard that owns it, and only to the nodes
 * subscribed there.
 */
class RedisClusterEngineIT extends RedisContract {
  private static RedisClusterSet cluster;
  private final Map<Integer, RedisClient> clients = new HashMap<>();
  private final Map<Integer, StatefulRedisConnection<String, String>> connections = new HashMap<>();

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new RedisClusterSet(1).start();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @AfterEach
  void disconnect() {
    clients.values().forEach(RedisClient::shutdown);
  }

  @Override
  protected String url() {
    return cluster.url();
  }

  /**
   * The master that owns the test channel's slot: its keys and its pub/sub channel are all there.
   */
  @Override
  protected StatefulRedisConnection<String, String> redis() {
    return owner(channel);
  }

  private String live(String ch) {
    return prefix + ":{" + ch + "}:live";
  }

  private StatefulRedisConnection<String, String> owner(String ch) {
    try {
      return node(cluster.masterOf(cluster.slotOf(live(ch))));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private StatefulRedisConnection<String, String> node(int port) {
    return connections.computeIfAbsent(
        port,
        p -> {
          RedisClient c = RedisClient.create("redis://127.0.0.1:" + p);
          clients.put(p, c);
          return c.connect();
        });
  }

  /**
   * Sharded channels are not in PUBSUB CHANNELS: they are listed, per shard, by PUBSUB
   * SHARDCHANNELS.
   */
  @Override
  protected void awaitSubscribed(String ch) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> owner(ch).sync().pubsubShardChannels(live(ch)).size() == 1);
  }

  private List<String> channels(int n) {
    List<String> channels = new ArrayList<>();
    for (int i = 0; i < n; i++) channels.add(channel + "-" + i);
    return channels;
  }

  private static List<Recorder> subscribed(Engine node, List<String> channels) {
    List<Recorder> seen = new ArrayList<>();
    for (String ch : channels) {
      Recorder r = new Recorder();
      seen.add(r);
      node.subscribe(ch, 0, r);
    }
    return seen;
  }

  @Test
  void channelsSpreadOverEveryMasterAndTheirMessagesGoOnlyWhereTheyAreSubscribed()
      throws Exception {
    Engine publisher = started(1000);
    Engine node = started(1000);
    List<String> channels = channels(12);
    List<Recorder> seen = subscribed(node, channels);
    Set<Integer> owners = new HashSet<>();
    for (String ch : channels) owners.add(cluster.masterOf(cluster.slotOf(live(ch))));
    assertThat(owners).as("the channels' masters").hasSize(RedisClusterSet.MASTERS);
    for (String ch : channels) awaitSubscribed(ch);
    for (int i = 0; i < 60; i++) publish(publisher, channels.get(i % 12), "t", Integer.toString(i));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> seen.stream().allMatch(r -> r.events.size() == 5));
    for (String ch : channels) {
      int owner = cluster.masterOf(cluster.slotOf(live(ch)));
      // One subscriber (the node serving it) on the owning master, none anywhere else: the
      // publisher node never
      // receives the channel's messages, and no other shard carries them.
      assertThat(node(owner).sync().pubsubShardNumsub(live(ch))).as(ch).containsEntry(live(ch), 1L);
      for (int other : cluster.masters()) {
        if (other != owner)
          assertThat(node(other).sync().pubsubShardChannels(prefix + ":*"))
              .as("shard channels of %d", other)
              .doesNotContain(live(ch));
      }
    }
  }

  @Test
  void everyPubSubLinkKilledEachChannelIsSubscribedAgainOnItsMasterAndCaughtUp() throws Exception {
    Engine publisher = started(1000);
    Engine node = started(1000);
    List<String> channels = channels(9);
    List<Recorder> seen = subscribed(node, channels);
    for (String ch : channels) awaitSubscribed(ch);
    // Several channels of different slots on one master: Lettuce's own re-subscribe sends them in
    // one SSUBSCRIBE,
    // which Redis refuses (CROSSSLOT); the engine subscribes each again itself.
    for (int port : cluster.masters()) node(port).sync().clientKill(KillArgs.Builder.typePubsub());
    for (int i = 0; i < 45; i++) publish(publisher, channels.get(i % 9), "t", Integer.toString(i));
    for (String ch : channels) awaitSubscribed(ch);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> seen.stream().allMatch(r -> r.events.size() == 5));
    Thread.sleep(300); // a quiet period: a duplicate from the catch-up would arrive within it
    for (Recorder r : seen) {
      assertThat(r.seqs()).isSorted().doesNotHaveDuplicates().hasSize(5);
      assertThat(r.resets).isEmpty();
    }
  }
}
