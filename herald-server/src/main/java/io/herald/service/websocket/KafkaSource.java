package io.herald.service.websocket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.event.EventMeta;
import io.herald.protocol.json.Json;
import io.herald.util.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's four Kafka topics into broadcasts, on one platform thread (the consumer is not
 * thread-safe). At least once: offsets are committed only after every record of a poll was
 * published to the engine, so a crash re-reads them rather than losing them. Each broadcast carries
 * its record's {@code topic/partition/offset}; with the hub's journal (HERALD_HISTORY_DIR) those
 * survive a crash, and a partition assigned after a restart starts after the last record the
 * journal holds when the group's committed offset is behind it: nothing twice either. A record that
 * is not valid JSON or lacks a required field is logged (topic, partition, offset and why; never
 * its content), counted and skipped.
 */
final class KafkaSource {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSource.class);

  private final WebsocketConfig.KafkaConfig config;
  private final Map<String, BiFunction<JsonNode, Instant, Broadcast>> mappers;
  private final Function<Broadcast, CompletionStage<?>> publish;
  private final InstantSource clock;
  private final Runnable rejected;

  /**
   * Per partition, the offset after the last record broadcast before this start (from the journal);
   * used once each.
   */
  private final Map<TopicPartition, Long> broadcastBefore;

  private volatile KafkaConsumer<String, String> consumer;
  private volatile boolean running;
  private volatile int assigned;
  private Thread thread;

  /**
   * @param broadcastBefore see {@link KafkaPositions#after}
   */
  KafkaSource(
      WebsocketConfig.KafkaConfig config,
      InstantSource clock,
      Function<Broadcast, CompletionStage<?>> publish,
      Runnable rejected,
      Map<TopicPartition, Long> broadcastBefore) {
    this.config = config;
    this.broadcastBefore = new ConcurrentHashMap<>(broadcastBefore);
    this.clock = clock;
    this.publish = publish;
    this.rejected = rejected;
    this.mappers =
        Map.of(
            config.responses(),
            Broadcast::surveyResponse,
            config.analytics(),
            Broadcast::analytics,
            config.locations(),
            Broadcast::location,
            config.notifications(),
            Broadcast::notification);
  }

  void start() {
    running = true;
    thread = Thread.ofPlatform().name("herald-kafka").daemon().start(this::run);
  }

  void stop() throws InterruptedException {
    running = false;
    KafkaConsumer<String, String> c = consumer;
    if (c != null) c.wakeup();
    if (thread != null) {
      thread.interrupt(); // ends a reconnect backoff, where there is no consumer to wake
      thread.join(10_000);
    }
  }

  /** Partitions assigned to this consumer now. */
  int assigned() {
    return assigned;
  }

  /** Whether the consumer has a connection to a broker (its own metric). */
  boolean connected() {
    KafkaConsumer<String, String> c = consumer;
    if (c == null) return false;
    for (Map.Entry<MetricName, ? extends Metric> e : c.metrics().entrySet()) {
      if (e.getKey().name().equals("connection-count")
          && e.getKey().group().equals("consumer-metrics")
          && e.getValue().metricValue() instanceof Double d
          && d > 0) return true;
    }
    return false;
  }

  private void run() {
    Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    while (running) {
      try (KafkaConsumer<String, String> c =
          new KafkaConsumer<>(properties(), new StringDeserializer(), new StringDeserializer())) {
        consumer = c;
        c.subscribe(config.topics(), new KafkaPositions.SkipBroadcast(c, broadcastBefore));
        while (running) {
          ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(500));
          assigned = c.assignment().size();
          if (records.isEmpty()) continue;
          if (publishAll(c, records)) {
            commit(c);
            backoff.reset();
          } else {
            commit(c); // what was published before the failure
            if (!backoff.pause()) return;
          }
        }
      } catch (WakeupException | InterruptException e) {
        return; // stop(): woken from poll, or interrupted in another blocking call
      } catch (RuntimeException e) {
        if (!running) return;
        LOG.warn("Kafka consumer failed, reconnecting: {}", e.toString());
        assigned = 0;
        if (!backoff.pause()) return;
      } finally {
        consumer = null;
      }
    }
  }

  /**
   * A commit refused because the group is rebalancing is not a reason to rebuild the consumer
   * (which would cause another rebalance): the records come again to whoever owns their partitions,
   * at least once as promised.
   */
  private static void commit(KafkaConsumer<String, String> c) {
    try {
      c.commitSync();
    } catch (CommitFailedException | RebalanceInProgressException e) {
      LOG.info(
          "Kafka commit skipped during a group rebalance; the records will be delivered again: {}",
          e.getClass().getSimpleName());
    }
  }

  /**
   * Publishes a poll's records without waiting for each (on a shared engine every publish is a
   * round trip, and one connection keeps them in order), then waits for them all. Where one was not
   * taken (the shared engine is down, the journal refused it), its partition is moved back to it so
   * that it and what follows are read again. Records of that partition that were taken after it go
   * out twice then (at least once, as always).
   */
  private boolean publishAll(
      KafkaConsumer<String, String> c, ConsumerRecords<String, String> records) {
    Map<TopicPartition, List<Sent>> sent = new LinkedHashMap<>();
    for (TopicPartition tp : records.partitions()) {
      List<Sent> list = new ArrayList<>();
      for (ConsumerRecord<String, String> r : records.records(tp)) list.add(new Sent(r, send(r)));
      sent.put(tp, list);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    boolean ok = true;
    for (var e : sent.entrySet()) {
      for (Sent s : e.getValue()) {
        if (s.taken() == null || taken(s, deadline)) continue;
        c.seek(e.getKey(), s.record().offset());
        ok = false;
        break;
      }
    }
    return ok;
  }

  /** A record and its publish, null when the record was bad and skipped. */
  private record Sent(ConsumerRecord<String, String> record, CompletableFuture<?> taken) {}

  /**
   * Hands the record to the engine; null for a bad record, which is logged, counted and skipped.
   */
  private CompletableFuture<?> send(ConsumerRecord<String, String> r) {
    Broadcast b;
    try {
      JsonNode json = Json.MAPPER.readTree(r.value() == null ? "" : r.value());
      if (json == null || !json.isObject()) throw new IllegalArgumentException("not a JSON object");
      b =
          mappers
              .get(r.topic())
              .apply(json, clock.instant())
              .from(new EventMeta.Origin(r.topic(), r.partition(), r.offset()));
    } catch (IllegalArgumentException | JsonProcessingException e) {
      rejected.run();
      LOG.warn(
          "skipped Kafka record {}-{}@{}: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e instanceof IllegalArgumentException ? e.getMessage() : "invalid JSON");
      return null;
    } catch (
        RuntimeException e) { // one record must not stall its partition: skipped, counted, logged
      rejected.run();
      LOG.error(
          "skipped Kafka record {}-{}@{} after an unexpected error",
          r.topic(),
          r.partition(),
          r.offset(),
          e);
      return null;
    }
    return publish.apply(b).toCompletableFuture();
  }

  /** Whether the engine took it by {@code deadline}; false (logged) when it is to be read again. */
  private static boolean taken(Sent s, long deadline) {
    ConsumerRecord<String, String> r = s.record();
    try {
      s.taken().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "Kafka record {}-{}@{} not published, will be read again: {}",
          r.topic(),
          r.partition(),
          r.offset(),
          e instanceof ExecutionException ee ? ee.getCause().getMessage() : "timeout");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.brokers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, config.offsetReset());
    // New topics are seen within seconds, not the default five minutes.
    p.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "10000");
    return p;
  }
}
