package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.bench.target.Target;
import io.herald.testkit.EmbeddedKafka;
import io.herald.testkit.Ports;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The websocket service consuming a real Kafka broker (KRaft, in this JVM, as the tests run it)
 * that restarts: a producer writes a {@code system.notifications} record at {@code rate} per second
 * (acks=all; a record the broker did not acknowledge is not owed), Socket.IO clients in the {@code
 * global} room count the notifications; a third of the way in the broker shuts down for 3 s and
 * starts again on the same log. Every acknowledged record must reach every client once, in order,
 * and no client may be dropped for it.
 */
final class KafkaFault {
  private static final List<String> TOPICS =
      List.of("survey.responses", "survey.analytics", "surveyor.locations", "system.notifications");
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;

  KafkaFault(ChaosConfig config, HttpClient http, Progress progress) {
    this.config = config;
    this.http = http;
    this.progress = progress;
  }

  Tally run() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start(TOPICS)) {
      int port = Ports.free();
      RunningTarget server =
          RunningTarget.start(
              new Target(
                  "herald",
                  List.of(config.root().resolve("herald").toString(), "websocket"),
                  Map.of(
                      "HERALD_HOST",
                      "127.0.0.1",
                      "KAFKA_BROKERS",
                      kafka.bootstrap(),
                      "KAFKA_GROUP_ID",
                      "chaos-" + System.nanoTime(),
                      "HERALD_KAFKA_OFFSET_RESET",
                      "earliest",
                      "MAX_CONNECTIONS_PER_IP",
                      "100000")),
              port,
              config.out());
      List<SioCount> clients = new ArrayList<>();
      for (int i = 0; i < config.clients(); i++) {
        SioCount c = SioCount.once(http, port);
        c.client().connect().join();
        clients.add(c);
        progress.tick("kafka-restart: clients connected", i + 1, config.clients());
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (!clients.stream().allMatch(c -> c.client().connected())
          && System.nanoTime() < deadline) Faults.sleep(50);
      Ledger ledger = new Ledger();
      Thread fault =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Faults.sleep((long) (config.seconds() * 1000 / 3));
                    progress.line(
                        "kafka-restart: the broker shuts down for 3 s and starts again on the same log");
                    try {
                      kafka.restart(3_000);
                      progress.line("kafka-restart: the broker is back");
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      long attempted = produce(kafka.bootstrap(), ledger);
      fault.join();
      deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline
          && !clients.stream().allMatch(c -> ledger.accepted.stream().allMatch(c.got()::has))) {
        Faults.sleep(200);
      }
      long expected = 0, received = 0, lost = 0, dup = 0, reordered = 0, dropped = 0;
      for (SioCount c : clients) {
        expected += ledger.accepted.size();
        received += c.got().count();
        lost += c.got().missing(ledger.accepted);
        dup += c.got().duplicated();
        reordered += c.got().reordered();
        if (c.client().dropped()) dropped++;
      }
      clients.forEach(c -> c.client().stop());
      server.close();
      String verdict = lost == 0 && dup == 0 && reordered == 0 && dropped == 0 ? "PASS" : "FAIL";
      return new Tally(
          "kafka-restart",
          clients.size(),
          attempted,
          ledger.accepted.size(),
          expected,
          received,
          lost,
          dup,
          reordered,
          dropped,
          ledger.refused.get() + " records not acknowledged while down",
          verdict,
          dropped == 0 ? "no client dropped" : dropped + " clients dropped");
    }
  }

  /**
   * Paced records, each awaited; a record the broker did not acknowledge within 3 s is not owed.
   */
  private long produce(String bootstrap, Ledger ledger) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 3_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    Pace pace = new Pace(config.rate(), config.seconds());
    long n = pace.ticks, attempted = 0;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (long i = 1; i <= n; i++) {
        pace.await(i - 1);
        attempted++;
        try {
          producer
              .send(
                  new ProducerRecord<>(
                      "system.notifications", "{\"title\":\"chaos\",\"message\":\"" + i + "\"}"))
              .get();
          ledger.accepted.add(i);
        } catch (Exception e) {
          ledger.refused.incrementAndGet();
        }
        progress.tick("kafka-restart: produced", i, n);
      }
    }
    return attempted;
  }
}
