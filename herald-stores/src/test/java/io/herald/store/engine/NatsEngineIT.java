package io.herald.store.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.core.engine.Engine;
import io.herald.core.engine.SharedEngineContract;
import io.herald.core.event.Event;
import io.herald.store.Namespace;
import io.herald.store.nats.NatsEngine;
import io.herald.store.nats.NatsEngineConfig;
import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract on the machine's NATS JetStream, plus what only a shared engine has: several nodes,
 * and NATS losing a channel.
 */
class NatsEngineIT extends SharedEngineContract {
  static final String URL =
      System.getenv().getOrDefault("HERALD_TEST_NATS_URL", "nats://127.0.0.1:4222");
  private final String prefix = "herald-test-" + UUID.randomUUID().toString().substring(0, 8);
  private Connection admin;
  private JetStreamManagement jsm;

  @BeforeEach
  void connect() throws Exception {
    admin = Nats.connect(URL);
    jsm = admin.jetStreamManagement();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String s : jsm.getStreamNames())
      if (s.startsWith(prefix) || s.startsWith("KV_" + prefix)) jsm.deleteStream(s);
    admin.close();
  }

  @Override
  protected Engine engine(int maxEvents) {
    return new NatsEngine(
            new NatsEngineConfig(URL, maxEvents, Duration.ofMinutes(5), new Namespace(prefix, "")))
        .start();
  }

  /**
   * The subscription follows the channel's stream with a consumer of its own: live once NATS lists
   * one.
   */
  @Override
  protected void awaitSubscribed(String channel) {
    String stream =
        prefix + "_" + channel; // NatsEngineConfig.stream: both are NATS tokens as they are
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> !jsm.getConsumerNames(stream).isEmpty());
  }

  @Override
  protected void loseChannel() throws Exception {
    for (String s : jsm.getStreamNames())
      if (s.startsWith(prefix)) jsm.deleteStream(s); // what losing NATS's store does
  }

  @Test
  void aNodeThatOnlyPublishesGoesOnAfterNatsLostTheChannel() throws Exception {
    Engine node = started(1000);
    long before = publish(node, channel, "t", "0").seq();
    for (String s : jsm.getStreamNames()) if (s.startsWith(prefix)) jsm.deleteStream(s);
    long after =
        publish(node, channel, "t", "1")
            .seq(); // the first try may fail (503); the next creates the stream again
    assertThat(after).as("sequences never go back").isGreaterThan(before);
    assertThat(read(node, channel, 0, 10).events()).extracting(Event::data).containsExactly("1");
  }

  @Test
  void aSharedValueIsTakenOnceByOneNodeAndNotAfterItsTtl() throws Exception {
    NatsEngine a = (NatsEngine) started(1000), b = (NatsEngine) started(1000);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                a.put("session:1", "v\nwith a line", Duration.ofSeconds(30))
                        .toCompletableFuture()
                        .get()
                    == null);
    var first = a.take("session:1").toCompletableFuture();
    var second = b.take("session:1").toCompletableFuture(); // two nodes race for it: one gets it
    List<String> got = new ArrayList<>();
    for (String v : new String[] {first.get(), second.get()}) if (v != null) got.add(v);
    assertThat(got).containsExactly("v\nwith a line");
    assertThat(a.take("session:1").toCompletableFuture().get()).isNull();
    a.put("session:2", "w", Duration.ofMillis(200)).toCompletableFuture().get();
    Thread.sleep(400); // twice the value's 200 ms TTL
    assertThat(b.take("session:2").toCompletableFuture().get()).as("past its TTL").isNull();
  }

  @Test
  void writesOfASharedValueLandInTheOrderTheyWereMade() throws Exception {
    NatsEngine a = (NatsEngine) started(1000);
    await()
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(
            () ->
                a.put("session:order", "0", Duration.ofSeconds(30)).toCompletableFuture().get()
                    == null);
    CompletableFuture<?> last = null;
    for (int i = 1; i <= 30; i++)
      last =
          a.put("session:order", Integer.toString(i), Duration.ofSeconds(30)).toCompletableFuture();
    last.get();
    assertThat(a.take("session:order").toCompletableFuture().get())
        .as("a session written at connect, then at a room change")
        .isEqualTo("30");
  }

  @Test
  void aNodeFollowsOnlyTheChannelsItsClientsUse() throws Exception {
    NatsEngine node = (NatsEngine) started(1000);
    AutoCloseable s = node.subscribe(channel, 0, new Recorder());
    node.subscribe(channel + "-b", 0, new Recorder()).close();
    assertThat(node.channels()).isEqualTo(1);
    s.close();
    assertThat(node.channels()).isZero();
  }
}
