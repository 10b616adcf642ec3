package io.herald.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) inside the JVM, on free loopback
 * ports. Public for {@code ./herald chaos}, which restarts it under a running websocket service.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private final Path dir;
  private final Properties props;
  private KafkaRaftServer server;
  private final String bootstrap;

  private EmbeddedKafka(Path dir, Properties props, KafkaRaftServer server, String bootstrap) {
    this.dir = dir;
    this.props = props;
    this.server = server;
    this.bootstrap = bootstrap;
  }

  public String bootstrap() {
    return bootstrap;
  }

  /**
   * Stops the broker (as a broker restart does: connections drop, the log stays) and starts it on
   * the same ports and data.
   */
  public void restart(long downMillis) throws InterruptedException {
    server.shutdown();
    server.awaitShutdown();
    Thread.sleep(downMillis); // the broker stays down this long: what its clients must ride out
    server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
  }

  public static EmbeddedKafka start(List<String> topics) throws Exception {
    Path dir = Files.createTempDirectory("herald-kafka");
    int port = Ports.free(), controller = Ports.free();
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    Path cfg = dir.resolve("server.properties");
    try (Writer w = Files.newBufferedWriter(cfg)) {
      p.store(w, null);
    }
    int rc =
        StorageTool.execute(
            new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", cfg.toString()},
            new PrintStream(OutputStream.nullOutputStream()));
    if (rc != 0) throw new IllegalStateException("kafka storage format failed: " + rc);
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
    server.startup();
    String bootstrap = "127.0.0.1:" + port;
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      awaitRegistered(admin);
      admin
          .createTopics(topics.stream().map(t -> new NewTopic(t, 1, (short) 1)).toList())
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return new EmbeddedKafka(dir, p, server, bootstrap);
  }

  /**
   * Until the broker has registered with the controller (a plain loop: the chaos command runs this
   * without the tests' libraries).
   */
  private static void awaitRegistered(Admin admin) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) return;
      } catch (ExecutionException | TimeoutException e) {
        if (System.nanoTime() > deadline) throw new IllegalStateException("kafka did not start", e);
      }
      if (System.nanoTime() > deadline) throw new IllegalStateException("kafka did not start");
      Thread.sleep(100);
    }
  }

  @Override
  public void close() throws IOException {
    server.shutdown();
    server.awaitShutdown();
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
