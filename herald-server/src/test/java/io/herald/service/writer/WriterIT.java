package io.herald.service.writer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.GetResponse;
import io.herald.testkit.Http;
import io.lettuce.core.RedisClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer against this machine's real RabbitMQ, MariaDB and Redis. */
class WriterIT {
  WriterFixture fx;

  @BeforeEach
  void setUp() throws Exception {
    fx = new WriterFixture();
  }

  @AfterEach
  void tearDown() throws Exception {
    fx.close();
  }

  private void startAndWaitHealthy(int prefetch, Duration deadline) throws Exception {
    fx.start(fx.config(prefetch, deadline));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Http.get(fx.port, "/health").statusCode() == 200);
  }

  static String redisCount(String hash, long id) {
    RedisClient rc = RedisClient.create(WriterFixture.REDIS);
    try (var c = rc.connect()) {
      return c.sync().hget(hash, Long.toString(id));
    } finally {
      rc.shutdown();
    }
  }

  @Test
  void chatsAndMessagesAreWrittenUpdatedAndCountedThroughRedis() throws Exception {
    startAndWaitHealthy(50, Duration.ofMinutes(1));
    fx.application("app_abc123");
    fx.publish("create_chats", WriterFixture.chat("app_abc123", 1));
    fx.publish("create_chats", WriterFixture.chat("app_abc123", 2));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM chats") == 2);
    for (int i = 1; i <= 3; i++)
      fx.publish("create_messages", WriterFixture.message("app_abc123", 1, i, "Hello " + i));
    fx.publish("update_messages", WriterFixture.update("app_abc123", 1, 2, "Updated message text"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                "Updated message text"
                    .equals(fx.string("SELECT body FROM messages WHERE number = 2")));
    assertThat(fx.scalar("SELECT COUNT(*) FROM messages")).isEqualTo(3);
    // Counts move only through the count sync (every 300 ms here).
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.scalar("SELECT chats_count FROM applications WHERE token = 'app_abc123'") == 2);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT messages_count FROM chats WHERE number = 1") == 3);
    long app = fx.scalar("SELECT id FROM applications WHERE token = 'app_abc123'");
    assertThat(redisCount("herald:writer:chats_count", app)).isEqualTo("2");
    var health = Http.get(fx.port, "/health").body();
    assertThat(health).contains("\"rabbitmq\"", "\"mariadb\"", "\"redis\"");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                Http.get(fx.port, "/metrics")
                    .body()
                    .contains("herald_writer_acked_total{queue=\"create_messages\"} 3.0"));
    assertThat(Http.get(fx.port, "/metrics").body())
        .contains(
            "herald_writer_consumed_total{queue=\"create_messages\"} 3.0",
            "herald_writer_batch_size_count",
            "herald_writer_count_sync_lag_seconds");
  }

  @Test
  void aRedeliveredCreateAddsNoSecondRowAndNoSecondCount() throws Exception {
    // No count sync while the duplicates arrive: the sync recounts rows and would hide a second
    // increment.
    fx.start(fx.config(1, Duration.ofMinutes(1), Optional.empty(), Duration.ofHours(1)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> Http.get(fx.port, "/health").statusCode() == 200);
    fx.application("tok");
    long app = fx.scalar("SELECT id FROM applications WHERE token = 'tok'");
    for (int i = 0; i < 3; i++) fx.publish("create_chats", WriterFixture.chat("tok", 1));
    fx.publish("create_messages", WriterFixture.message("tok", 1, 1, "once"));
    fx.publish("create_messages", WriterFixture.message("tok", 1, 1, "once"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.depth("create_messages") == 0
                    && fx.depth("create_chats") == 0
                    && fx.scalar("SELECT COUNT(*) FROM messages") == 1);
    assertThat(fx.scalar("SELECT COUNT(*) FROM chats")).isEqualTo(1);
    assertThat(redisCount("herald:writer:chats_count", app)).isEqualTo("1");
    assertThat(redisCount("herald:writer:messages_count", fx.scalar("SELECT id FROM chats")))
        .isEqualTo("1");
    fx.stop(); // a writer with the usual sync writes those counts to MariaDB
    fx.start(fx.config(1, Duration.ofMinutes(1)));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT messages_count FROM chats") == 1);
    assertThat(fx.scalar("SELECT chats_count FROM applications")).isEqualTo(1);
  }

  @Test
  void anUpdateOrAMessageBeforeItsCreateIsRetriedUntilTheCreateLands() throws Exception {
    startAndWaitHealthy(10, Duration.ofMinutes(1));
    fx.application("late");
    fx.publish("update_messages", WriterFixture.update("late", 1, 1, "edited"));
    fx.publish("create_messages", WriterFixture.message("late", 1, 1, "original"));
    // Both were tried and sent to the retry queue (the counters appear at their first retry):
    // neither the chat nor
    // the message exists.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              String metrics = Http.get(fx.port, "/metrics").body();
              return metrics.contains("herald_writer_retried_total{queue=\"update_messages\"}")
                  && metrics.contains("herald_writer_retried_total{queue=\"create_messages\"}");
            });
    assertThat(fx.scalar("SELECT COUNT(*) FROM messages")).isZero();
    fx.publish("create_chats", WriterFixture.chat("late", 1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "edited".equals(fx.string("SELECT body FROM messages WHERE number = 1")));
    assertThat(fx.drain("update_messages.dlq")).isEmpty();
  }

  @Test
  void aRowTheDatabaseRefusesInsideABatchIsDeadLetteredAloneAndTheRestLandOnce() throws Exception {
    startAndWaitHealthy(10, Duration.ofMinutes(1)); // creates the tables
    fx.application("tok");
    fx.publish("create_chats", WriterFixture.chat("tok", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM chats") == 1);
    try (var c =
        fx.sql()) { // the database itself refuses one body for good (SQLSTATE 23000, a permanent
      // error)
      c.createStatement()
          .execute(
              "CREATE TRIGGER refuse_body BEFORE INSERT ON messages FOR EACH ROW "
                  + "IF NEW.body = 'refuse' THEN SIGNAL SQLSTATE '23000' "
                  + "SET MESSAGE_TEXT = 'refused by trigger'; END IF");
    }
    fx.stop(); // the three wait in the queue, so the restarted writer takes them as one batch
    fx.publish("create_messages", WriterFixture.message("tok", 1, 1, "first"));
    fx.publish("create_messages", WriterFixture.message("tok", 1, 2, "refuse"));
    fx.publish("create_messages", WriterFixture.message("tok", 1, 3, "third"));
    startAndWaitHealthy(10, Duration.ofMinutes(1));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> fx.depth("create_messages.dlq") == 1 && fx.depth("create_messages") == 0);
    List<GetResponse> dead = fx.drain("create_messages.dlq");
    assertThat(new String(dead.getFirst().getBody(), StandardCharsets.UTF_8))
        .contains("\"refuse\"");
    assertThat(dead.getFirst().getProps().getHeaders().get("x-herald-reason").toString())
        .contains("refused by trigger");
    assertThat(fx.string("SELECT GROUP_CONCAT(body ORDER BY number) FROM messages"))
        .isEqualTo("first,third");
    // The consumer is still healthy (a second acknowledgement of a settled message would have
    // closed its channel).
    fx.publish("create_messages", WriterFixture.message("tok", 1, 4, "after"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") == 3);
    assertThat(fx.depth("create_messages.dlq")).isZero();
  }

  @Test
  void poisonMessagesGoToTheDeadLetterQueueWithTheReasonAndNothingLoops() throws Exception {
    startAndWaitHealthy(10, Duration.ofSeconds(1));
    fx.application("good");
    fx.publish("create_chats", "{not json");
    fx.publish("create_chats", WriterFixture.chat("no-such-app", 1));
    fx.publish("create_chats", "{\"application_id\":1,\"token\":\"good\",\"number\":\"one\"}");
    fx.publish("create_chats", WriterFixture.chat("good", 1));
    fx.publish(
        "create_messages",
        WriterFixture.message(
            "good", 1, 1, "x".repeat(2000))); // over the 1000-byte limit in this test
    fx.publish(
        "update_messages", WriterFixture.update("good", 1, 99, "never created")); // deadline 1 s
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                fx.depth("create_chats.dlq") == 3
                    && fx.depth("create_messages.dlq") == 1
                    && fx.depth("update_messages.dlq") == 1);
    List<GetResponse> dead = fx.drain("create_chats.dlq");
    assertThat(dead)
        .extracting(r -> r.getProps().getHeaders().get("x-herald-reason").toString())
        .anySatisfy(r -> assertThat(r).contains("malformed JSON"))
        .anySatisfy(r -> assertThat(r).contains("unknown application token"))
        .anySatisfy(r -> assertThat(r).contains("'number'"));
    assertThat(new String(dead.getFirst().getBody(), StandardCharsets.UTF_8))
        .isEqualTo("{not json");
    assertThat(
            fx.drain("update_messages.dlq")
                .getFirst()
                .getProps()
                .getHeaders()
                .get("x-herald-reason")
                .toString())
        .contains("deadline");
    assertThat(fx.scalar("SELECT COUNT(*) FROM chats")).isEqualTo(1);
    assertThat(fx.depth("create_chats")).isZero();
  }

  @Test
  void theBrokerConnectionForcedClosedMidStreamLosesNothingAndCountsConverge() throws Exception {
    startAndWaitHealthy(50, Duration.ofMinutes(1));
    fx.application("busy");
    fx.publish("create_chats", WriterFixture.chat("busy", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM chats") == 1);
    Thread publisher =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    for (int i = 1; i <= 600; i++) {
                      fx.publish("create_messages", WriterFixture.message("busy", 1, i, "m" + i));
                      if (i % 100 == 0)
                        Thread.sleep(
                            50); // paces the publishes, so the connection closes among them
                    }
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") > 50);
    assertThat(fx.closeWriterConnections()).isPositive();
    publisher.join();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") == 600);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT messages_count FROM chats") == 600);
  }

  @Test
  void twoWritersAndConcurrentPublishersLeaveCountsEqualToTheRows() throws Exception {
    startAndWaitHealthy(20, Duration.ofMinutes(1));
    fx.another(fx.config(20, Duration.ofMinutes(1))); // a second instance consuming the same queues
    fx.application("shared");
    for (int chat = 1; chat <= 3; chat++)
      fx.publish("create_chats", WriterFixture.chat("shared", chat));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM chats") == 3);
    List<Thread> publishers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int worker = t;
      publishers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (var conn = fx.amqp.createChannel()) {
                      for (int i = 0; i < 150; i++) {
                        int number = worker * 1000 + i;
                        String body =
                            WriterFixture.message("shared", 1 + number % 3, number, "n" + number);
                        conn.basicPublish(
                            "", "create_messages", null, body.getBytes(StandardCharsets.UTF_8));
                        if (i % 50 == 0)
                          conn.basicPublish(
                              "",
                              "create_messages",
                              null,
                              body.getBytes(StandardCharsets.UTF_8)); // a duplicate
                      }
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  }));
    }
    for (Thread t : publishers) t.join();
    // 60 s as above: two writers on a machine busy with the rest of the suite took over 30 s once.
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") == 600);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                fx.scalar("SELECT SUM(messages_count) FROM chats") == 600
                    && fx.scalar(
                            "SELECT COUNT(*) FROM chats c WHERE messages_count <> "
                                + "(SELECT COUNT(*) FROM messages m WHERE m.chat_id = c.id)")
                        == 0);
    for (long chat : List.of(1L, 2L, 3L)) {
      long id = fx.scalar("SELECT id FROM chats WHERE number = " + chat);
      assertThat(redisCount("herald:writer:messages_count", id))
          .isEqualTo(
              Long.toString(fx.scalar("SELECT COUNT(*) FROM messages WHERE chat_id = " + id)));
    }
  }

  @Test
  void aDatabaseFailureMidStreamIsRetriedAndLosesNothing() throws Exception {
    startAndWaitHealthy(20, Duration.ofMinutes(1));
    fx.application("flaky");
    fx.publish("create_chats", WriterFixture.chat("flaky", 1));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM chats") == 1);
    try (var c = fx.sql()) {
      c.createStatement()
          .execute("RENAME TABLE messages TO messages_away"); // every write now fails
      for (int i = 1; i <= 50; i++)
        fx.publish("create_messages", WriterFixture.message("flaky", 1, i, "m" + i));
      Thread.sleep(1500); // the writer retries with backoff; the messages stay unacknowledged
      assertThat(fx.depth("create_messages.dlq")).isZero();
      c.createStatement().execute("RENAME TABLE messages_away TO messages");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fx.scalar("SELECT COUNT(*) FROM messages") == 50);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fx.scalar("SELECT messages_count FROM chats") == 50);
    assertThat(fx.depth("create_messages.dlq")).isZero();
    assertThat(Http.get(fx.port, "/metrics").body())
        .contains("herald_writer_retried_total{queue=\"create_messages\"}");
  }
}
