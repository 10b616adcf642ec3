package io.herald.service.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.history.HistoryConfig;
import io.herald.core.hub.HubConfig;
import io.herald.testkit.EmbeddedKafka;
import io.herald.testkit.Http;
import io.herald.testkit.Ports;
import io.herald.testkit.RedisServer;
import io.herald.testkit.SioDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's four Kafka topics, from a real broker to a real socket.io-client, and offsets
 * committed after delivery.
 */
class WebsocketKafkaIT {
  private static final List<String> TOPICS =
      List.of("survey.responses", "survey.analytics", "surveyor.locations", "system.notifications");

  /** The restart test's own topics, so that what the other test produced is not in its way. */
  private static final List<String> OTHER_TOPICS = List.of("x.locations");

  private static final Map<String, String> RESTART_TOPICS =
      Map.of(
          "KAFKA_TOPIC_RESPONSES",
          "r.responses",
          "KAFKA_TOPIC_ANALYTICS",
          "r.analytics",
          "KAFKA_TOPIC_LOCATIONS",
          "r.locations",
          "KAFKA_TOPIC_NOTIFICATIONS",
          "r.notifications");

  /** The crash test's topics and group. */
  private static final Map<String, String> CRASH_TOPICS =
      Map.of(
          "KAFKA_TOPIC_RESPONSES",
          "c.responses",
          "KAFKA_TOPIC_ANALYTICS",
          "c.analytics",
          "KAFKA_TOPIC_LOCATIONS",
          "c.locations",
          "KAFKA_TOPIC_NOTIFICATIONS",
          "c.notifications");

  private static EmbeddedKafka kafka;
  private static KafkaProducer<String, String> producer;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka =
        EmbeddedKafka.start(
            Stream.of(TOPICS, RESTART_TOPICS.values(), CRASH_TOPICS.values(), OTHER_TOPICS)
                .flatMap(Collection::stream)
                .toList());
    producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", kafka.bootstrap()),
            new StringSerializer(),
            new StringSerializer());
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (producer != null) producer.close();
    if (kafka != null) kafka.close();
  }

  private static Map<String, String> env(String group) {
    return Map.of(
        "KAFKA_BROKERS",
        kafka.bootstrap(),
        "KAFKA_GROUP_ID",
        group,
        "HERALD_KAFKA_OFFSET_RESET",
        "earliest");
  }

  private static Map<String, String> restartEnv() {
    Map<String, String> m = new HashMap<>(env("g-restart"));
    m.putAll(RESTART_TOPICS);
    return m;
  }

  private static void send(String topic, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, value)).get(10, TimeUnit.SECONDS);
  }

  private static void awaitAssigned(SioServer s) {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(Http.get(s.port, "/health").body())
                    .contains("\"kafka\":{\"status\":\"up\",\"assignedPartitions\":4}"));
  }

  @Test
  void eachTopicReachesItsRoomsAndABadRecordIsSkipped() throws Exception {
    try (SioServer s = new SioServer(env("g-rooms"), true);
        SioDriver c = new SioDriver(s.port)) {
      awaitAssigned(s);
      c.connected("u", List.of("websocket"), Map.of("token", SioServer.token("user123", "user")));
      c.emit("u", "join_room", Map.of("room", "survey:s1"), false);
      c.event("u", "room_joined");

      send("survey.responses", "this is not JSON");
      send("survey.responses", "{\"responseId\":\"no-survey\"}"); // valid JSON, no surveyId
      send(
          "survey.responses",
          "{\"surveyId\":\"s1\",\"responseId\":\"r1\",\"response\":{\"question1\":\"answer1\","
              + "\"photo\":{\"$binary\":\"AQID\"}},\"metadata\":{}}");
      send(
          "survey.analytics",
          "{\"surveyId\":\"s1\",\"projectId\":\"p1\",\"analytics\":{\"count\":3},\"type\":\"realtime\"}");
      send(
          "surveyor.locations",
          "{\"surveyorId\":\"v1\",\"surveyId\":\"s1\",\"projectId\":\"p1\","
              + "\"location\":{\"coordinates\":{\"latitude\":25.2,"
              + "\"longitude\":55.27},\"accuracy\":10},\"metadata\":{}}");
      send(
          "system.notifications",
          "{\"userId\":\"user999\",\"type\":\"info\","
              + "\"title\":\"Not yours\",\"message\":\"x\",\"priority\":\"normal\"}");
      send(
          "system.notifications",
          "{\"userId\":\"user123\",\"type\":\"info\",\"title\":\"Survey approved\","
              + "\"message\":\"Your survey has been approved\",\"priority\":\"high\",\"metadata\":{}}");
      send(
          "system.notifications",
          "{\"type\":\"warning\",\"title\":\"Maintenance\",\"message\":\"at noon\"}");

      JsonNode response = c.event("u", "response.new");
      assertThat(response.path("responseId").asText()).isEqualTo("r1");
      assertThat(response.path("response").path("question1").asText()).isEqualTo("answer1");
      assertThat(response.path("response").path("photo").toString())
          .as("a binary value reaches the client as binary")
          .isEqualTo("{\"$bytes\":\"AQID\"}");
      JsonNode analytics = c.event("u", "analytics.update");
      assertThat(analytics.path("analytics").path("count").asInt()).isEqualTo(3);
      assertThat(analytics.path("updateType").asText()).isEqualTo("realtime");
      assertThat(c.event("u", "surveyor.location").path("location").path("accuracy").asInt())
          .isEqualTo(10);
      JsonNode mine = c.event("u", "notification");
      assertThat(mine.path("title").asText()).isEqualTo("Survey approved");
      assertThat(mine.path("notificationType").asText()).isEqualTo("info");
      assertThat(mine.path("priority").asText()).isEqualTo("high");
      JsonNode global = c.event("u", "notification");
      assertThat(global.path("title").asText()).isEqualTo("Maintenance");
      assertThat(global.path("priority").asText()).isEqualTo("normal");
      assertThat(c.received("u", "notification", 300))
          .as("user999's notification is not delivered")
          .hasSize(2);
      assertThat(Http.get(s.port, "/metrics").body())
          .containsPattern("(?m)^herald_websocket_kafka_rejected_total 2(\\.0)?$");
    }
  }

  @Test
  void aRecordReadWhileTheRedisEngineIsDownIsDeliveredOnceItIsBack() throws Exception {
    RedisServer redis = new RedisServer().start();
    Map<String, String> env = new HashMap<>(env("g-redis"));
    env.putAll(
        Map.of(
            "REDIS_URL",
            redis.url(),
            "KAFKA_TOPIC_LOCATIONS",
            "x.locations")); // REDIS_URL alone: the Redis engine
    try (SioServer s = new SioServer(env, true);
        SioDriver c = new SioDriver(s.port)) {
      awaitAssigned(s); // Kafka starts once the node follows the engine's channel
      c.connected("u", List.of("websocket"), Map.of("token", SioServer.token("u1", "user")));
      c.emit("u", "join_room", Map.of("room", "project:p7"), false);
      c.event("u", "room_joined");
      redis.stop();
      send(
          "x.locations",
          "{\"surveyorId\":\"v1\",\"projectId\":\"p7\",\"location\":{\"accuracy\":3}}");
      // Read (the consumer is assigned and the record produced) but refused by the engine: not
      // delivered, not committed.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(Http.get(s.port, "/metrics").body())
                      .containsPattern("(?m)^herald_websocket_bus_refused_total [1-9]"));
      assertThat(c.received("u", "surveyor.location", 0)).isEmpty();
      assertThat(committed("g-redis", "x.locations"))
          .as("nothing committed past it")
          .isIn(null, 0L);
      redis.start();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(Http.get(s.port, "/health").body())
                      .contains("\"engine\":{\"status\":\"up\""));
      JsonNode loc =
          c.await("u", r -> r.path("ev").asText().equals("surveyor.location"), 40)
              .path("args")
              .path(0);
      assertThat(loc.path("location").path("accuracy").asInt()).isEqualTo(3);
      assertThat(c.received("u", "surveyor.location", 500)).as("once").hasSize(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed("g-redis", "x.locations")).isEqualTo(1L));
    } finally {
      redis.close();
    }
  }

  @Test
  void aRestartedServiceDoesNotRebroadcastWhatItCommitted() throws Exception {
    try (SioServer s = new SioServer(restartEnv(), true)) {
      awaitAssigned(s);
      send("r.analytics", "{\"surveyId\":\"restart\",\"analytics\":{}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed("g-restart", "r.analytics")).isEqualTo(1L));
    }
    try (SioServer s = new SioServer(restartEnv(), true);
        SioDriver c = new SioDriver(s.port)) {
      awaitAssigned(s);
      c.connected("u", List.of("websocket"), Map.of("token", SioServer.token("u2", "user")));
      c.emit("u", "join_room", Map.of("room", "survey:restart"), false);
      c.event("u", "room_joined");
      send("r.analytics", "{\"surveyId\":\"restart\",\"analytics\":{\"after\":true}}");
      assertThat(c.event("u", "analytics.update").path("analytics").path("after").asBoolean())
          .as("the new record first")
          .isTrue();
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed("g-restart", "r.analytics")).isEqualTo(2L));
      assertThat(c.received("u", "analytics.update", 500))
          .as("the committed one is not re-broadcast")
          .hasSize(1);
    }
  }

  @Test
  void withAHistoryDirectoryARecordBroadcastButNotCommittedBeforeACrashIsNotBroadcastAgain(
      @TempDir Path dir) throws Exception {
    Map<String, String> env = new HashMap<>(env("g-crash"));
    env.putAll(CRASH_TOPICS);
    HubConfig durable = new HubConfig(HistoryConfig.DEFAULT, Optional.of(dir));
    try (SioServer s = new SioServer(env, true, Ports.free(), durable)) {
      awaitAssigned(s);
      send("c.analytics", "{\"surveyId\":\"crash\",\"analytics\":{\"n\":1}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed("g-crash", "c.analytics")).isEqualTo(1L));
    }
    // The crash: broadcast, but the commit never reached Kafka. The group is empty now, so its
    // offset can be moved.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
      admin
          .alterConsumerGroupOffsets(
              "g-crash", Map.of(new TopicPartition("c.analytics", 0), new OffsetAndMetadata(0)))
          .all()
          .get(10, TimeUnit.SECONDS);
    }
    assertThat(committed("g-crash", "c.analytics")).isZero();
    try (SioServer s = new SioServer(env, true, Ports.free(), durable)) {
      awaitAssigned(s);
      send("c.analytics", "{\"surveyId\":\"crash\",\"analytics\":{\"n\":2}}");
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(committed("g-crash", "c.analytics")).isEqualTo(2L));
      // Only record 2 was broadcast, and it has offset 2: record 1 kept its place and was not sent
      // again as 2.
      assertThat(Http.get(s.port, "/metrics").body())
          .contains("herald_websocket_broadcasts_total{source=\"kafka\"} 1.0");
      assertThat(Http.get(s.port, "/health").body()).contains("\"lastOffset\":2");
    }
  }

  /** The group's committed offset on partition 0 of {@code topic}, null when none. */
  private static Long committed(String group, String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
      var offsets =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(10, TimeUnit.SECONDS);
      var m = offsets.get(new TopicPartition(topic, 0));
      return m == null ? null : m.offset();
    }
  }
}
